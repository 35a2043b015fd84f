package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;

/** The ECR side of {@code emrsBuildImage}: the repository exists, and EMR Serverless may pull from it. */
public final class EcrRepository {
    private final EcrClient ecr;
    private final ProgressListener listener;

    public EcrRepository(EcrClient ecr, ProgressListener listener) {
        this.ecr = ecr;
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /**
     * Finds the repository; when it is missing, creates it if {@code create} (tag immutability on, scan on push), else
     * fails with what to do.
     */
    public Repository ensure(String registryId, String name, boolean create) {
        try {
            Repository r = ecr.describeRepositories(d -> d.registryId(registryId).repositoryNames(name)).repositories().get(0);
            listener.info("ECR repository " + r.repositoryUri() + " exists (tags " + r.imageTagMutabilityAsString().toLowerCase(java.util.Locale.ROOT)
                    + ", scan on push " + (r.imageScanningConfiguration() != null && Boolean.TRUE.equals(r.imageScanningConfiguration().scanOnPush()) ? "on" : "off") + ")");
            return r;
        } catch (RepositoryNotFoundException e) {
            if (!create) {
                throw new InvalidInputException("repository", "the ECR repository " + name + " does not exist in registry "
                        + registryId, "Create it, or pass --ensure-repository to have it created (tag immutability, scan on push)");
            }
        }
        Repository r = ecr.createRepository(c -> c.registryId(registryId).repositoryName(name)
                .imageTagMutability(ImageTagMutability.IMMUTABLE)
                .imageScanningConfiguration(s -> s.scanOnPush(true))).repository();
        listener.info("Created the ECR repository " + r.repositoryUri() + " (tags immutable, scan on push)");
        return r;
    }

    /** The image's page in the ECR console, by digest. */
    public static String consoleUrl(String region, String registryId, String repository, String digest) {
        return io.jenkins.plugins.kedroemrs.core.emrs.JobRunLinks.consoleHost(region) + "/ecr/repositories/private/" + registryId + "/"
                + repository + "/_/image/" + digest + "/details?region=" + region;
    }

    /** Makes sure the application may pull; returns whether the policy had to change. */
    public boolean ensurePullPolicy(String registryId, String name, String applicationArn) {
        String current;
        try {
            current = ecr.getRepositoryPolicy(g -> g.registryId(registryId).repositoryName(name)).policyText();
        } catch (RepositoryPolicyNotFoundException e) {
            current = null;
        }
        var merged = EcrPullPolicy.merge(current, applicationArn);
        if (merged.isEmpty()) {
            listener.info("The repository policy of " + name + " already lets " + applicationArn + " pull");
            return false;
        }
        try {
            ecr.setRepositoryPolicy(s -> s.registryId(registryId).repositoryName(name).policyText(merged.get()));
        } catch (software.amazon.awssdk.services.ecr.model.EcrException e) {
            throw new EngineException("Could not set the policy of ECR repository " + name + ": " + e.awsErrorDetails().errorMessage()
                    + ". The caller needs ecr:SetRepositoryPolicy, or an administrator adds statement " + EcrPullPolicy.SID, e);
        }
        listener.info("Repository policy of " + name + ": EMR Serverless may now pull for " + applicationArn
                + (current == null ? "" : " (other statements kept)"));
        return true;
    }
}
