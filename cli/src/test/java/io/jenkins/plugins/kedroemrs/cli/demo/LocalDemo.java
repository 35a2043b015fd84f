package io.jenkins.plugins.kedroemrs.cli.demo;

import io.jenkins.plugins.kedroemrs.cli.Main;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.image.EcrPullPolicy;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.kedro.WheelInfo;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryClient;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecr.model.Image;

/**
 * README's "run the main job": the whole flow of Kedro's "Deploy to Amazon EMR Serverless" guide with the kedro-emrs
 * commands, on this machine, against local peers standing in for AWS: moto_server with the EMR Serverless lifecycle
 * moto leaves out ({@link EmrServerlessMoto}), a real OCI registry on loopback, and, when a container engine can run
 * here (dockerd as root), a real image build. Run by {@code scripts/demo [KEDRO_PROJECT_DIR]}; not a test.
 *
 * <ol>
 *   <li>{@code kedro-emrs package} — the project (a fresh {@code kedro new} project with a small pipeline, or yours);</li>
 *   <li>{@code kedro-emrs build-image --push} into the local registry, on an EMR-shaped offline base image (the real
 *       public.ecr.aws base is not reachable here), with the interpreter and wheels from local files;</li>
 *   <li>{@code kedro-emrs validate-image --project-check} — the EMR Serverless checks, read straight from the registry,
 *       and the project loaded inside the image once;</li>
 *   <li>the image's manifest registered in moto's ECR under the same digest: moto's ECR keeps manifests but has no
 *       registry endpoint to push layers to, so this stands in for pushing to ECR;</li>
 *   <li>{@code kedro-emrs deploy --image-uri <ecr>@sha256:…} — preflight (the role, the repository's pull policy, the
 *       buckets, …), then restart the application onto that digest, upload the entry point, submit the job run and
 *       wait for it, printing the links a real run gives and what it cost;</li>
 *   <li>{@code kedro-emrs runs} — the application's job runs with their billed figures.</li>
 * </ol>
 */
public final class LocalDemo {
    private static final String BUCKET = "kedro-emrs-demo";
    private static final String REPOSITORY = "kedro-emrs/demo";
    private static final String RELEASE = "emr-6.10.0";
    private static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";

    private LocalDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("kedro-emrs-demo");
        int code;
        try {
            code = run(args.length > 0 ? Path.of(args[0]).toAbsolutePath() : null, work);
        } finally {
            FileTrees.deleteRecursively(work);
        }
        System.exit(code); // the peers stop with this JVM
    }

    private static int run(Path userProject, Path work) throws Exception {
        Path python = TestPython.require();
        say("Starting moto_server on loopback (EMR Serverless, S3, ECR; moto's fake keys, nothing reaches AWS)");
        EmrServerlessMoto moto = EmrServerlessMoto.shared();
        // The CLI takes no keys on its command line: the SDK's default chain finds moto's fixed fake ones here.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        String applicationId;
        String ecrRepository;
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            aws.s3().createBucket(b -> b.bucket(BUCKET));
            ecrRepository = aws.ecr().createRepository(r -> r.repositoryName(REPOSITORY)).repository().repositoryUri();
            applicationId = aws.emrServerless().createApplication(c -> c.name("kedro-demo").releaseLabel(RELEASE).type("SPARK")
                    .imageConfiguration(i -> i.imageUri(ecrRepository + ":previous"))).applicationId();
            // What the guide sets up by hand, and deploy's preflight checks first: a role EMR Serverless may assume,
            // which may read the code and write the logs, and a repository policy that lets the application pull.
            IamFixtures iam = new IamFixtures(aws);
            iam.createRole("emr-serverless-job", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                    + "\"Principal\": {\"Service\": \"emr-serverless.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}");
            iam.putRolePolicy("emr-serverless-job", "kedro-emrs-demo", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
                    + "\"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"], \"Resource\": "
                    + "[\"arn:aws:s3:::" + BUCKET + "\", \"arn:aws:s3:::" + BUCKET + "/*\"]}]}");
            String appArn = EcrPullPolicy.applicationArn(MotoServer.REGION, MotoServer.ACCOUNT, applicationId);
            aws.ecr().setRepositoryPolicy(p -> p.repositoryName(REPOSITORY).policyText(EcrPullPolicy.merge(null, appArn).orElseThrow()));
        }
        moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        say("In moto: bucket s3://" + BUCKET + ", ECR repository " + ecrRepository + ", application " + applicationId + " (" + RELEASE + ")");

        Path project = userProject;
        List<String> pipeline = List.of();
        if (project == null) {
            say("Creating a sample project with kedro new (plus a one-node pipeline, greet)");
            project = SampleKedroProject.create(work);
            pipeline = List.of("--env", "emr", "--pipeline", "greet", "--param", "out_dir=/tmp/kedro-emrs-demo");
        }
        Path dist = work.resolve("dist");
        if (cli("package", "--project-dir", project.toString(), "--python", python.toString(), "--out", dist.toString()) != Main.OK) {
            return Main.FAILED;
        }
        PackageResult packaged = PackageResult.read(dist);

        String image;
        if (ContainerEngine.dockerAvailable()) {
            image = buildValidateAndRegister(packaged, dist, moto, ecrRepository, pipeline);
            if (image == null) {
                return Main.FAILED;
            }
        } else {
            say("No container engine here (dockerd as root, see scripts/setup-peers): build-image and validate-image are"
                    + " skipped; a stand-in manifest is registered in moto's ECR instead");
            image = register(moto, standInManifest(), "application/vnd.oci.image.manifest.v1+json", ecrRepository);
        }

        List<String> deploy = new ArrayList<>(List.of("deploy", "--project-dir", project.toString(), "--python", python.toString(),
                "--out", dist.toString(), "--application-id", applicationId, "--image-uri", image, "--execution-role-arn", ROLE,
                "--code-uri", "s3://" + BUCKET + "/code", "--log-uri", "s3://" + BUCKET + "/logs", "--runner", "ThreadRunner",
                "--run-id", "demo-" + packaged.wheel().sha256().substring(0, 12)));
        deploy.addAll(pipeline);
        deploy.addAll(List.of("--endpoint-url", moto.endpoint().toString(), "--region", MotoServer.REGION));
        int code = cli(deploy.toArray(String[]::new));
        if (code == Main.OK) {
            say("The application's job runs, as `kedro-emrs runs` lists them (the stand-in bills a finished run as AWS does)");
            cli("runs", "--application-id", applicationId, "--endpoint-url", moto.endpoint().toString(), "--region", MotoServer.REGION);
        }
        say("Local run against moto: the console and S3 links above are the ones a real run in " + MotoServer.REGION
                + " gives (and `kedro-emrs dashboard` fetches its Spark UI link); the job itself did not run Spark.");
        return code;
    }

    /**
     * build-image into the local registry, validate-image there (with the project checked inside the image, for the
     * job's {@code pipeline} options), then the manifest into moto's ECR; returns the ECR URI.
     */
    private static String buildValidateAndRegister(PackageResult packaged, Path dist, EmrServerlessMoto moto, String ecrRepository,
            List<String> pipeline) throws Exception {
        say("Starting a container engine (dockerd of this demo) and an OCI registry on loopback");
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        say("Preparing offline inputs: an EMR-shaped base image, a prebuilt interpreter, the wheels the project needs");
        String base = engine.emrBaseImage(RELEASE);
        Path wheels = TestImages.wheelhouse(WheelInfo.read(packaged.wheel().file(), packaged.packageName()).requiresDist()
                .stream().map(r -> r.split(";", 2)[0].strip()).toList());
        String repository = registry.host() + "/" + REPOSITORY;
        List<String> build = new ArrayList<>(List.of("build-image", "--package-result", dist.toString(), "--repository", repository,
                "--tag", "demo", "--push", "--release-label", RELEASE, "--base-image", base, "--python-dist",
                TestImages.pythonTarball().toString(), "--python-version", TestImages.PYTHON_VERSION, "--pip-find-links",
                wheels.toString(), "--pip-no-index", "--buildkit", "off", "--builder-arg=--network=none"));
        for (Map.Entry<String, String> e : engine.environment().entrySet()) {
            build.addAll(List.of("--builder-env", e.getKey() + "=" + e.getValue()));
        }
        if (cli(build.toArray(String[]::new)) != Main.OK) {
            return null;
        }
        String pushed = repository + ":demo";
        // The image's checks, and the project loaded inside the image once (the demo's dockerd runs it, no network).
        List<String> validate = new ArrayList<>(List.of("validate-image", pushed, "--release-label", RELEASE, "--architecture",
                "X86_64", "--python", "/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python", "--package-result",
                dist.toString(), "--project-check", "--engine-executable", engine.executable()));
        validate.addAll(pipeline);
        engine.environment().forEach((k, v) -> validate.addAll(List.of("--engine-env", k + "=" + v)));
        if (cli(validate.toArray(String[]::new)) != Main.OK) {
            return null;
        }
        RegistryClient.FetchedManifest manifest = new RegistryClient(RegistryAuth.anonymous()).manifest(ImageReference.parse(pushed));
        say("Registering the pushed manifest " + manifest.digest() + " in moto's ECR (moto has no registry endpoint for layers)");
        String ecrImage = register(moto, new String(manifest.body(), StandardCharsets.UTF_8), manifest.mediaType(), ecrRepository);
        if (!ecrImage.endsWith("@" + manifest.digest())) {
            say("moto's ECR re-serialises the manifest and names it " + ecrImage.substring(ecrImage.indexOf('@') + 1)
                    + "; a push to real ECR keeps the bytes and the digest " + manifest.digest());
        }
        return ecrImage;
    }

    private static String register(EmrServerlessMoto moto, String manifest, String mediaType, String ecrRepository) throws Exception {
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            Image image = aws.ecr().putImage(p -> p.repositoryName(REPOSITORY).imageTag("demo").imageManifest(manifest)
                    .imageManifestMediaType(mediaType)).image();
            return ecrRepository + "@" + image.imageId().imageDigest();
        }
    }

    private static String standInManifest() {
        String config = "{}";
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"sha256:"
                + Hashing.sha256(config.getBytes(StandardCharsets.UTF_8)) + "\"},\"layers\":[]}";
    }

    /** Runs one kedro-emrs command in this JVM, printed first as a user would type it. */
    private static int cli(String... args) {
        System.out.println();
        System.out.println("$ kedro-emrs " + String.join(" ", args));
        System.out.flush();
        return Main.run(args);
    }

    private static void say(String text) {
        System.out.println();
        System.out.println("### " + text);
    }
}
