package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunLinks;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print a fresh link to a job run's Spark UI.",
        description = {"Prints a fresh link to a job run's Spark UI (GetDashboardForJobRun; each link works for one hour)."})
final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The EMR Serverless application.")
    String applicationId;

    @Option(names = "--job-run-id", required = true, paramLabel = "ID", description = "The job run.")
    String jobRunId;

    @Mixin
    AwsOptions aws;

    @Override
    public Integer call() {
        String app = EmrsInputs.applicationId(applicationId);
        String job = EmrsInputs.jobRunId(jobRunId);
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            System.out.println(JobRunLinks.dashboardUrl(factory.emrServerless(), app, job));
        }
        return Main.OK;
    }
}
