package io.jenkins.plugins.kedroemrs.cli.bench;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.image.EcrPullPolicy;
import io.jenkins.plugins.kedroemrs.core.preflight.Preflight;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightReport;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightRequest;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.emrserverless.model.Architecture;

/**
 * Times {@code kedro-emrs preflight} against moto_server and the stand-in on a set-up where every check has
 * something to ask (role, image, repository, code and log buckets, a CloudWatch group, capacity): its wall time and
 * its AWS calls, with the calls at once (as preflight makes them) and one after the other (as a script of
 * {@code aws} commands would), interleaved, without and with a round trip added to every call (moto on loopback
 * answers in about a millisecond, AWS from an agent in tens). Goal: under 3 s. Not a test: {@code scripts/bench
 * preflight [runs] [latency-ms…]}.
 */
public final class PreflightBenchmark {
    static final String CODE = "bench-code";
    static final String LOGS = "bench-logs";
    static final String REPO = "bench/greeter";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Integer> latencies = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            latencies.add(Integer.parseInt(args[i]));
        }
        if (latencies.isEmpty()) {
            latencies = List.of(0, 50);
        }
        EmrServerlessMoto moto = EmrServerlessMoto.shared();
        moto.reset();
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            PreflightRequest request = setUp(aws);
            Preflight parallel = new Preflight(aws);
            Preflight serial = parallel.withParallelism(1);
            PreflightReport first = parallel.run(request); // warms the SDK clients up
            if (!first.passed()) {
                throw new IllegalStateException("the benchmark's set-up does not pass: " + first.failures());
            }
            System.out.printf(Locale.ROOT, "Preflight of %d checks (%s), %d runs per row, moto_server on loopback%n",
                    first.checks().size(), first.counts(), runs);
            System.out.println("| added round trip | calls | at once: median / p95 | one by one: median / p95 | ratio |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: |");
            for (int latency : latencies) {
                moto.latency(latency);
                List<Long> atOnce = new ArrayList<>();
                List<Long> oneByOne = new ArrayList<>();
                int calls = 0;
                for (int i = 0; i < runs; i++) {
                    PreflightReport p = parallel.run(request);
                    PreflightReport s = serial.run(request);
                    if (!p.passed() || !s.passed()) {
                        throw new IllegalStateException("a run failed: " + p.failures() + s.failures());
                    }
                    atOnce.add(p.durationMillis());
                    oneByOne.add(s.durationMillis());
                    calls = p.calls();
                }
                System.out.printf(Locale.ROOT, "| %d ms | %d | %d / %d ms | %d / %d ms | %.2f |%n", latency, calls,
                        percentile(atOnce, 50), percentile(atOnce, 95), percentile(oneByOne, 50), percentile(oneByOne, 95),
                        (double) percentile(atOnce, 50) / percentile(oneByOne, 50));
            }
            moto.latency(0);
        }
    }

    /** Everything right, so that every check asks AWS something. */
    static PreflightRequest setUp(AwsClientFactory aws) {
        aws.s3().createBucket(b -> b.bucket(CODE));
        aws.s3().createBucket(b -> b.bucket(LOGS));
        String registry = MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com";
        String applicationId = aws.emrServerless().createApplication(c -> c.name("bench").releaseLabel("emr-7.1.0").type("SPARK")
                .architecture(Architecture.X86_64).maximumCapacity(m -> m.cpu("64 vCPU").memory("256 GB"))
                .imageConfiguration(i -> i.imageUri(registry + "/" + REPO + ":old"))).applicationId();
        aws.ecr().createRepository(r -> r.repositoryName(REPO));
        String appArn = EcrPullPolicy.applicationArn(MotoServer.REGION, MotoServer.ACCOUNT, applicationId);
        aws.ecr().setRepositoryPolicy(p -> p.repositoryName(REPO).policyText(EcrPullPolicy.merge(null, appArn).orElseThrow()));
        IamFixtures iam = new IamFixtures(aws);
        String role = iam.createRole("bench-job", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Principal\": {\"Service\": \"emr-serverless.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}");
        iam.putRolePolicy("bench-job", "access", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
                + "[\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": [\"arn:aws:s3:::" + CODE + "/*\", \"arn:aws:s3:::" + LOGS
                + "/*\"]}, {\"Effect\": \"Allow\", \"Action\": \"logs:*\", \"Resource\": \"*\"}]}");
        return new PreflightRequest(applicationId, role, registry + "/" + REPO + ":1", "X86_64", null, false, false,
                "s3://" + CODE + "/code", null, "s3://" + LOGS + "/emr", "/aws/emr-serverless/bench",
                List.of("spark.executor.instances=4"), null).check(false);
    }

    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
