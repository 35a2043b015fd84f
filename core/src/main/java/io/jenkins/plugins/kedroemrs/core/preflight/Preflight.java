package io.jenkins.plugins.kedroemrs.core.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckResult.fail;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckResult.pass;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckResult.skipped;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckResult.warn;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.aws.IamQuery;
import io.jenkins.plugins.kedroemrs.core.emrs.S3Location;
import io.jenkins.plugins.kedroemrs.core.emrs.SparkSubmitParameters;
import io.jenkins.plugins.kedroemrs.core.image.EcrPullPolicy;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.CheckResult;
import io.jenkins.plugins.kedroemrs.core.validate.CheckStatus;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.emrserverless.model.Application;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.Architecture;
import software.amazon.awssdk.services.emrserverless.model.ResourceNotFoundException;
import software.amazon.awssdk.services.emrserverless.model.WorkerTypeSpecification;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * {@code kedro-emrs preflight}: what the guide's most expensive failures need, known in seconds before anything is
 * built or started. Every call it makes is independent of the others, so they all go out at once ({@link #PARALLEL}
 * at a time): GetCallerIdentity, GetApplication, the ECR repository and its policy (and the image's manifest), the
 * role (GetRole) and what it may do (one SimulatePrincipalPolicy per resource), each bucket's existence and region.
 * Each check is PASS, FAIL, WARN or SKIPPED with one line; where the caller may not read something (AccessDenied)
 * the check WARNs "could not check" — preflight never fails on its own lack of permission.
 */
public final class Preflight {
    static final int PARALLEL = 8;
    static final String TRUSTED_SERVICE = "emr-serverless.amazonaws.com";

    private final AwsClientFactory aws;
    private final int parallel;
    private final boolean anyRegistry;

    /** Checks with {@code aws}'s clients and region; the caller prints the report (it says nothing while it runs). */
    public Preflight(AwsClientFactory aws) {
        this(aws, PARALLEL, false);
    }

    private Preflight(AwsClientFactory aws, int parallel, boolean anyRegistry) {
        this.aws = aws;
        this.parallel = parallel;
        this.anyRegistry = anyRegistry;
    }

    /** The same checks with at most {@code n} calls in flight ({@code 1}: one after the other, as a script would). */
    public Preflight withParallelism(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + n);
        }
        return new Preflight(aws, n, anyRegistry);
    }

    /**
     * With {@code true} (AWS calls go to an endpoint override: LocalStack, moto, whose applications run images of any
     * registry), an image outside ECR is SKIPPED instead of failing, as the other steps' input checks take it then.
     */
    public Preflight withAnyRegistry(boolean any) {
        return new Preflight(aws, parallel, any);
    }

    /** A call's answer or the failure it ended with. */
    record Answer<T>(T value, RuntimeException error) {
        boolean ok() {
            return error == null;
        }

        boolean denied() {
            return error != null && (error instanceof IamQuery.IamException i ? i.accessDenied() : AwsErrors.isAccessDenied(error));
        }

        String why() {
            return error instanceof SdkException s ? AwsErrors.describe(s) : error.getMessage();
        }
    }

    /** Runs every check. */
    public PreflightReport run(PreflightRequest request) {
        long start = System.nanoTime();
        String region = aws.region().id();
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        try (Round round = new Round(parallel)) {
            Map<String, String> spark = SparkSubmitParameters.properties(request.sparkConf(), request.sparkSubmitParameters());
            SparkResources resources = SparkResources.of(spark);
            ImageReference image = request.imageUri() == null ? null : ImageReference.parse(request.imageUri(), "image-uri");
            ImageReference repository = request.repository() != null ? ImageReference.parse(request.repository() + ":preflight",
                    "image-repository") : image;
            String roleName = request.executionRoleArn() == null ? null
                    : request.executionRoleArn().substring(request.executionRoleArn().lastIndexOf('/') + 1);
            S3Location entry = request.entryPoint();
            S3Location logs = request.logUri() == null ? null : S3Location.parse(request.logUri(), "log-uri").asPrefix();

            // Everything goes out at once.
            CompletableFuture<Answer<GetCallerIdentityResponse>> who = round.call(() -> aws.sts().getCallerIdentity());
            CompletableFuture<Answer<Application>> app = round.call(
                    () -> aws.emrServerless().getApplication(g -> g.applicationId(request.applicationId())).application());
            CompletableFuture<Answer<IamQuery.Role>> role = roleName == null ? null : round.call(() -> aws.iam().getRole(roleName));
            CompletableFuture<Answer<Map<String, String>>> readEntry = roleName == null || entry == null ? null
                    : round.call(() -> aws.iam().simulate(request.executionRoleArn(), List.of("s3:GetObject"),
                            "arn:" + partition + ":s3:::" + entry.bucket() + "/" + entry.key()));
            CompletableFuture<Answer<Map<String, String>>> writeLogs = roleName == null || logs == null ? null
                    : round.call(() -> aws.iam().simulate(request.executionRoleArn(), List.of("s3:PutObject"),
                            "arn:" + partition + ":s3:::" + logs.bucket() + "/" + logs.key() + "applications/"
                                    + request.applicationId() + "/jobs/kedro-emrs-preflight/stdout.gz"));
            CompletableFuture<Answer<Map<String, String>>> cloudWatch = roleName == null || request.cloudWatchLogGroup() == null
                    ? null : round.call(() -> aws.iam().simulate(request.executionRoleArn(),
                            List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                            "arn:" + partition + ":logs:" + region + ":*:log-group:" + request.cloudWatchLogGroup() + ":*"));
            Map<String, CompletableFuture<Answer<String>>> buckets = new LinkedHashMap<>();
            for (S3Location l : new S3Location[] {entry, logs}) {
                if (l != null) {
                    buckets.computeIfAbsent(l.bucket(), b -> round.call(() -> {
                        aws.s3().headBucket(h -> h.bucket(b));
                        round.counted();
                        String where = aws.s3().getBucketLocation(g -> g.bucket(b)).locationConstraintAsString();
                        return where == null || where.isEmpty() ? "us-east-1" : "EU".equals(where) ? "eu-west-1" : where;
                    }));
                }
            }
            String repoName = repository == null || repository.ecrAccountId() == null ? null : repository.repository();
            String repoAccount = repository == null ? null : repository.ecrAccountId();
            CompletableFuture<Answer<String>> repoPolicy = repoName == null ? null : round.call(() -> {
                aws.ecr().describeRepositories(d -> d.repositoryNames(repoName).registryId(repoAccount));
                round.counted();
                try {
                    return aws.ecr().getRepositoryPolicy(g -> g.repositoryName(repoName).registryId(repoAccount)).policyText();
                } catch (RepositoryPolicyNotFoundException e) {
                    return "";
                }
            });
            boolean readManifest = image != null && image.ecrAccountId() != null && request.architecture() == null;
            CompletableFuture<Answer<List<Image>>> manifest = !readManifest ? null
                    : round.call(() -> aws.ecr().batchGetImage(b -> b.repositoryName(image.repository()).registryId(image.ecrAccountId())
                            .acceptedMediaTypes("application/vnd.oci.image.index.v1+json",
                                    "application/vnd.docker.distribution.manifest.list.v2+json",
                                    "application/vnd.oci.image.manifest.v1+json",
                                    "application/vnd.docker.distribution.manifest.v2+json")
                            .imageIds(i -> {
                                if (image.digest() != null) {
                                    i.imageDigest(image.digest());
                                } else {
                                    i.imageTag(image.tag());
                                }
                            })).images());

            List<CheckResult> checks = new ArrayList<>();
            Answer<GetCallerIdentityResponse> caller = who.join();
            String account = caller.ok() ? caller.value().account() : null;
            checks.add(caller.ok() ? pass("credentials", "account " + account + " as " + caller.value().arn())
                    : fail("credentials", "sts:GetCallerIdentity failed (" + caller.why() + "): give credentials that AWS accepts "
                            + "(--profile, AWS_PROFILE, a Jenkins AWS credential, the machine's role)"));

            Answer<Application> a = app.join();
            Application application = a.ok() ? a.value() : null;
            applicationChecks(checks, request, region, a);
            String appArn = application != null ? application.arn() : account != null
                    ? EcrPullPolicy.applicationArn(region, account, request.applicationId()) : null;
            String architecture = application == null ? null : application.architecture() == null
                    || application.architecture() == Architecture.UNKNOWN_TO_SDK_VERSION ? "X86_64" : application.architectureAsString();
            checks.add(architectureCheck(request, architecture, manifest == null ? null : manifest.join()));
            checks.add(imageCheck(image, region, account));
            checks.addAll(repositoryChecks(request, repository, repoPolicy == null ? null : repoPolicy.join(), appArn));
            checks.addAll(roleChecks(request, role == null ? null : role.join(), entry, logs, readEntry, writeLogs, cloudWatch));
            checks.add(bucketCheck("s3:code-bucket", entry, buckets, region, "the entry point"));
            checks.add(bucketCheck("s3:log-bucket", logs, buckets, region, "the logs"));
            checks.add(capacityCheck(application, resources));

            long millis = (System.nanoTime() - start) / 1_000_000;
            boolean passed = checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
            return new PreflightReport(request.applicationId(), region, account, caller.ok() ? caller.value().arn() : null,
                    List.copyOf(checks), passed, millis, round.calls.get());
        }
    }

    private void applicationChecks(List<CheckResult> checks, PreflightRequest request, String region, Answer<Application> a) {
        if (!a.ok()) {
            checks.add(a.error() instanceof ResourceNotFoundException
                    ? fail("application", "no application " + request.applicationId() + " in " + region
                            + ": check the id and the region (--region), or create it")
                    : a.denied() ? warn("application", "could not check: " + a.why())
                    : fail("application", "GetApplication failed: " + a.why()));
            checks.add(skipped("application:release", "no application to read"));
            checks.add(skipped("application:images", "no application to read"));
            return;
        }
        Application app = a.value();
        ApplicationState state = app.state();
        checks.add(state == ApplicationState.TERMINATED
                ? fail("application", app.name() + " (" + app.applicationId() + ") is TERMINATED: it runs nothing again; create a new one")
                : pass("application", app.name() + " (" + app.applicationId() + ", " + app.type() + ") is " + app.stateAsString()
                        + (state == ApplicationState.STARTED ? "" : "; restart-app or the job's submission starts it")));
        String release = app.releaseLabel();
        checks.add(ReleaseProfiles.known().contains(release)
                ? pass("application:release", release + " has a validation profile")
                : warn("application:release", release + " has no validation profile in this version (known: "
                        + String.join(", ", ReleaseProfiles.known()) + "): validate-image cannot check images against it"));
        List<String> wrong = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        if (app.imageConfiguration() != null && app.imageConfiguration().imageUri() != null) {
            seen.add(app.imageConfiguration().imageUri());
        }
        if (app.workerTypeSpecifications() != null) {
            for (Map.Entry<String, WorkerTypeSpecification> w : app.workerTypeSpecifications().entrySet()) {
                if (w.getValue().imageConfiguration() != null && w.getValue().imageConfiguration().imageUri() != null) {
                    seen.add(w.getKey() + ": " + w.getValue().imageConfiguration().imageUri());
                }
            }
        }
        List<String> elsewhere = new ArrayList<>();
        for (String s : seen) {
            String uri = s.contains(": ") ? s.substring(s.indexOf(": ") + 2) : s;
            String ecrRegion = ImageReference.parse(uri).ecrRegion();
            if (ecrRegion == null && anyRegistry) {
                elsewhere.add(s);
            } else if (ecrRegion == null || !ecrRegion.equals(region)) {
                wrong.add(s);
            }
        }
        checks.add(!elsewhere.isEmpty() && wrong.isEmpty() ? skipped("application:images", "not in ECR: " + String.join(", ", elsewhere)
                + " (the AWS endpoint is overridden: any registry is taken)")
                : seen.isEmpty() ? pass("application:images", "no custom image configured yet (the release's own image)")
                : wrong.isEmpty() ? pass("application:images", "in ECR in " + region + ": " + String.join(", ", seen))
                : fail("application:images", "not in ECR in " + region + ": " + String.join(", ", wrong)
                        + " — the service pulls only from ECR in the application's region: push there (restart-app --image-uri)"));
    }

    private CheckResult architectureCheck(PreflightRequest request, String appArchitecture, Answer<List<Image>> manifest) {
        if (appArchitecture == null) {
            return skipped("application:architecture", "no application to compare with");
        }
        if (request.architecture() != null) {
            String wanted = request.architecture().toUpperCase(Locale.ROOT);
            return wanted.equals(appArchitecture) ? pass("application:architecture", "image and application are " + appArchitecture)
                    : fail("application:architecture", "the image is " + wanted + " but the application runs " + appArchitecture
                            + " workers: build for " + appArchitecture + " (--architecture " + appArchitecture + ") or use an "
                            + wanted + " application");
        }
        if (manifest == null) {
            return skipped("application:architecture", "no image given (--image-uri or --architecture): nothing to compare");
        }
        if (!manifest.ok() || manifest.value().isEmpty()) {
            return manifest.ok() ? fail("application:architecture", "the image is not in its ECR repository: push it first")
                    : manifest.denied() ? warn("application:architecture", "could not read the image's manifest: " + manifest.why())
                    : warn("application:architecture", "could not read the image's manifest: " + manifest.why());
        }
        try {
            JsonNode m = Json.MAPPER.readTree(manifest.value().get(0).imageManifest());
            if (!m.has("manifests")) {
                return skipped("application:architecture", "a single-platform image: its architecture is in its config, which "
                        + "validate-image reads");
            }
            String platform = "ARM64".equals(appArchitecture) ? "arm64" : "amd64";
            Set<String> found = new LinkedHashSet<>();
            for (JsonNode entry : m.path("manifests")) {
                found.add(entry.path("platform").path("architecture").asText());
            }
            return found.contains(platform) ? pass("application:architecture", "the image has linux/" + platform + " for the "
                    + appArchitecture + " application")
                    : fail("application:architecture", "the image has " + found + " but the application runs " + appArchitecture
                            + " workers: build for linux/" + platform);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return warn("application:architecture", "the image's manifest is not JSON: " + e.getOriginalMessage());
        }
    }

    private CheckResult imageCheck(ImageReference image, String region, String account) {
        if (image == null) {
            return skipped("image", "no image given (--image-uri)");
        }
        if (image.ecrRegion() == null && anyRegistry) {
            return skipped("image", image + " is not in ECR (the AWS endpoint is overridden: any registry is taken)");
        }
        if (image.ecrRegion() == null) {
            return fail("image", image + " is not in Amazon ECR: EMR Serverless pulls custom images from ECR only");
        }
        if (!image.ecrRegion().equals(region)) {
            return fail("image", image + " is in ECR in " + image.ecrRegion() + ", the application in " + region
                    + ": the image must be in the application's region; push it to " + image.ecrAccountId() + ".dkr.ecr." + region
                    + ".amazonaws.com/" + image.repository());
        }
        return pass("image", "in ECR in " + region + (account != null && !account.equals(image.ecrAccountId())
                ? ", account " + image.ecrAccountId() + " (not the caller's " + account + "): its repository policy must let the "
                        + "application pull (ecr:pull-policy)" : ""));
    }

    private static List<CheckResult> repositoryChecks(PreflightRequest request, ImageReference repository, Answer<String> policy,
            String appArn) {
        if (repository == null) {
            return List.of(skipped("ecr:repository", "no image or repository given"),
                    skipped("ecr:pull-policy", "no image or repository given"));
        }
        String name = repository.repository();
        if (repository.ecrAccountId() == null) {
            String why = repository.registry() + " is not Amazon ECR: no repository or policy to read (the application runs images "
                    + "from ECR only)";
            return List.of(skipped("ecr:repository", why), skipped("ecr:pull-policy", why));
        }
        if (!policy.ok()) {
            if (policy.error() instanceof RepositoryNotFoundException) {
                return List.of(request.ensureRepository() ? pass("ecr:repository", name + " does not exist yet: the build creates "
                        + "it (--ensure-repository)") : fail("ecr:repository", "no repository " + name + " in "
                        + repository.registry() + ": create it, or let the build (--ensure-repository)"),
                        request.ensureRepository() && request.grantsPull() ? pass("ecr:pull-policy", "the build sets it for the application")
                                : skipped("ecr:pull-policy", "no repository yet"));
            }
            String why = (policy.denied() ? "could not check: " : "could not read it: ") + policy.why();
            return List.of(warn("ecr:repository", why), warn("ecr:pull-policy", why));
        }
        CheckResult exists = pass("ecr:repository", name + " exists in " + repository.registry());
        if (appArn == null) {
            return List.of(exists, skipped("ecr:pull-policy", "the application's ARN is unknown (no application, no account)"));
        }
        String text = policy.value();
        java.util.Optional<String> merged = EcrPullPolicy.merge(text.isEmpty() ? null : text, appArn);
        if (merged.isEmpty()) {
            return List.of(exists, pass("ecr:pull-policy", "lets " + TRUSTED_SERVICE + " pull for " + appArn));
        }
        if (request.grantsPull()) {
            return List.of(exists, warn("ecr:pull-policy", "does not let the application pull yet; the build adds statement "
                    + EcrPullPolicy.SID + " for " + appArn));
        }
        String statement = "{\"Sid\": \"" + EcrPullPolicy.SID + "\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \""
                + EcrPullPolicy.SERVICE + "\"}, \"Action\": [\"" + String.join("\", \"", EcrPullPolicy.ACTIONS)
                + "\"], \"Condition\": {\"StringEquals\": {\"aws:SourceArn\": \"" + appArn + "\"}}}";
        return List.of(exists, fail("ecr:pull-policy", "does not let " + EcrPullPolicy.SERVICE + " pull for " + appArn
                + ": add " + statement + " (build-image --application-id merges it)"));
    }

    private static List<CheckResult> roleChecks(PreflightRequest request, Answer<IamQuery.Role> role, S3Location entry,
            S3Location logs, CompletableFuture<Answer<Map<String, String>>> readEntry,
            CompletableFuture<Answer<Map<String, String>>> writeLogs, CompletableFuture<Answer<Map<String, String>>> cloudWatch) {
        List<CheckResult> out = new ArrayList<>();
        if (role == null) {
            for (String n : List.of("role", "role:entrypoint-read", "role:log-write", "role:cloudwatch")) {
                out.add(skipped(n, "no job runtime role given (--execution-role-arn)"));
            }
            return out;
        }
        String arn = request.executionRoleArn();
        if (!role.ok()) {
            boolean missing = role.error() instanceof IamQuery.IamException i && "NoSuchEntity".equals(i.code());
            out.add(missing ? fail("role", "no role " + arn + ": create it, with a trust policy for " + TRUSTED_SERVICE)
                    : warn("role", (role.denied() ? "could not check (iam:GetRole): " : "could not read it: ") + role.why()));
        } else {
            out.add(trusts(role.value().trustPolicy()) ? pass("role", arn + " may be assumed by " + TRUSTED_SERVICE)
                    : fail("role", arn + "'s trust policy does not let " + TRUSTED_SERVICE + " assume it: add {\"Effect\": \"Allow\", "
                            + "\"Principal\": {\"Service\": \"" + TRUSTED_SERVICE + "\"}, \"Action\": \"sts:AssumeRole\"}"));
        }
        out.add(simulated("role:entrypoint-read", readEntry, "read the entry point " + entry, "s3:GetObject on " + entry,
                "no entry point location given (--code-uri or --entrypoint-uri)"));
        out.add(simulated("role:log-write", writeLogs, "write the logs under " + logs, "s3:PutObject under " + logs,
                "no S3 log prefix given (--log-uri)"));
        out.add(simulated("role:cloudwatch", cloudWatch, "write to log group " + request.cloudWatchLogGroup(),
                "logs:CreateLogStream, logs:PutLogEvents and logs:DescribeLogStreams on log group " + request.cloudWatchLogGroup(),
                "no CloudWatch log group given (--cloudwatch-log-group)"));
        return out;
    }

    private static CheckResult simulated(String name, CompletableFuture<Answer<Map<String, String>>> future, String what,
            String grant, String none) {
        if (future == null) {
            return skipped(name, none);
        }
        Answer<Map<String, String>> a = future.join();
        if (!a.ok()) {
            return warn(name, (a.denied() ? "could not check (iam:SimulatePrincipalPolicy): " : "could not simulate: ") + a.why());
        }
        List<String> denied = a.value().entrySet().stream().filter(e -> !"allowed".equals(e.getValue()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        return denied.isEmpty() ? pass(name, "the role may " + what)
                : fail(name, "the role may not " + what + ": " + String.join(", ", denied) + "; grant it " + grant);
    }

    private static CheckResult bucketCheck(String name, S3Location location, Map<String, CompletableFuture<Answer<String>>> buckets,
            String region, String what) {
        if (location == null) {
            return skipped(name, "no location for " + what + " given");
        }
        Answer<String> a = buckets.get(location.bucket()).join();
        if (!a.ok()) {
            boolean missing = a.error() instanceof NoSuchBucketException
                    || a.error() instanceof S3Exception s && s.statusCode() == 404;
            return missing ? fail(name, "no bucket " + location.bucket() + " (for " + what + "): create it in " + region)
                    : warn(name, (a.denied() ? "could not check: " : "could not read it: ") + a.why());
        }
        return a.value().equals(region) ? pass(name, location.bucket() + " is in " + region)
                : fail(name, location.bucket() + " is in " + a.value() + ", the application in " + region
                        + ": use a bucket in " + region + " (cross-region reads cost and may be refused)");
    }

    private static CheckResult capacityCheck(Application app, SparkResources r) {
        if (app == null) {
            return skipped("capacity", "no application to read");
        }
        String asked = "driver " + r.driverCpu() + " vCPU/" + gb(r.driverMemoryGb()) + " GB + " + r.initialExecutors() + " × executor "
                + r.executorCpu() + " vCPU/" + gb(r.executorMemoryGb()) + " GB";
        if (app.maximumCapacity() == null) {
            return pass("capacity", asked + "; the application has no maximum capacity (the account's quota applies)");
        }
        Double cpu = SparkResources.capacity(app.maximumCapacity().cpu());
        Double memory = SparkResources.capacity(app.maximumCapacity().memory());
        if (cpu == null || memory == null) {
            return warn("capacity", "could not read the maximum capacity " + app.maximumCapacity());
        }
        String max = gb(cpu) + " vCPU, " + gb(memory) + " GB";
        if (r.cpuFor(r.initialExecutors()) > cpu || r.memoryFor(r.initialExecutors()) > memory) {
            return fail("capacity", asked + " = " + gb(r.cpuFor(r.initialExecutors())) + " vCPU, " + gb(r.memoryFor(r.initialExecutors()))
                    + " GB does not fit the application's maximum capacity (" + max + "): raise it (update-application "
                    + "--maximum-capacity) or ask for less (spark.executor.instances, spark.executor.cores, spark.executor.memory)");
        }
        if (r.maxExecutors() == null || r.cpuFor(r.maxExecutors()) > cpu || r.memoryFor(r.maxExecutors()) > memory) {
            return pass("capacity", asked + " fits (" + max + "); dynamic allocation can grow to "
                    + r.executorsWithin(cpu, memory) + " executors within it");
        }
        return pass("capacity", asked + " fits (" + max + ")");
    }

    private static boolean trusts(String trustPolicy) {
        if (trustPolicy == null) {
            return false;
        }
        try {
            JsonNode statements = Json.MAPPER.readTree(trustPolicy).path("Statement");
            for (JsonNode s : statements.isArray() ? statements : Json.MAPPER.createArrayNode().add(statements)) {
                if ("Allow".equals(s.path("Effect").asText()) && values(s.path("Action")).stream()
                        .anyMatch(v -> v.equals("sts:AssumeRole") || v.equals("sts:*") || v.equals("*"))
                        && values(s.path("Principal").path("Service")).contains(TRUSTED_SERVICE)) {
                    return true;
                }
            }
            return false;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return false;
        }
    }

    private static List<String> values(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else if (n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    /** One run's calls: all at once, at most {@code parallel} in flight, counted. */
    private static final class Round implements AutoCloseable {
        final ExecutorService pool;
        final AtomicInteger calls = new AtomicInteger();

        Round(int parallel) {
            pool = Executors.newFixedThreadPool(parallel, r -> {
                Thread t = new Thread(r, "kedro-emrs-preflight");
                t.setDaemon(true);
                return t;
            });
        }

        /** {@code call} on the pool, counted; its answer or the failure it ended with. */
        <T> CompletableFuture<Answer<T>> call(Supplier<T> call) {
            return CompletableFuture.supplyAsync(() -> {
                calls.incrementAndGet();
                try {
                    return new Answer<T>(call.get(), null);
                } catch (RuntimeException e) {
                    return new Answer<T>(null, e instanceof CompletionException c && c.getCause() instanceof RuntimeException r ? r : e);
                }
            }, pool);
        }

        /** A second call made inside one piece of work. */
        void counted() {
            calls.incrementAndGet();
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private static String gb(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
