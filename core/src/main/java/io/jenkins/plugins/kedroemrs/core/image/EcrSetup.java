package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The AWS side of a build, decided from its request alone: whether the ECR repository is checked (or created) and its
 * pull policy merged, and whether the builder logs in with an ECR token. {@link #apply} makes those calls and returns
 * the token. It needs nothing of the machine that builds, so a Jenkins controller makes it with the build's AWS
 * credentials and only the registry password goes to the agent ({@link ImageBuilder#build(ImageRequest, EcrAuthorization)});
 * the CLI does both in one process ({@link ImageBuilder#build(ImageRequest)}).
 *
 * @param repository       the repository pushed to, {@code registry/name}
 * @param manageRepository check that the ECR repository exists (before a push, or when asked to create it or let an
 *                         application pull)
 * @param createRepository create it when it is missing
 * @param applicationArn   merge a statement into its policy that lets this EMR Serverless application pull, or {@code null}
 * @param login            log in with ECR's GetAuthorizationToken (to push, or to pull a base image from the same registry)
 */
public record EcrSetup(String repository, boolean manageRepository, boolean createRepository, String applicationArn, boolean login) {

    static EcrSetup of(ImageRequest r) {
        ImageReference repo = r.repository();
        boolean ecr = repo.ecrAccountId() != null;
        boolean login = r.usesEcrLogin() && (r.push() || ContainerCli.buildUsesLogin(r));
        boolean manage = ecr && (r.push() || r.ensureRepository() || r.applicationId() != null);
        String applicationArn = ecr && r.applicationId() != null
                ? EcrPullPolicy.applicationArn(repo.ecrRegion(), repo.ecrAccountId(), r.applicationId()) : null;
        return new EcrSetup(repo.repositoryUri(), manage, r.ensureRepository(), applicationArn, login);
    }

    /** Whether anything here calls AWS. */
    public boolean needsAws() {
        return manageRepository || login;
    }

    /** The region of the ECR registry, or {@code null} when the repository's host names none (not ECR's name). */
    public String region() {
        return reference().ecrRegion();
    }

    /**
     * Makes sure the repository exists (creating it when asked) and that the application may pull, then fetches the
     * registry login when one is needed.
     *
     * @return the login for {@code login --password-stdin}, or {@code null} when the build logs in with nothing
     */
    public EcrAuthorization apply(EcrClient ecr, ProgressListener listener) {
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        ImageReference repo = reference();
        if (manageRepository) {
            progress.phase("Checking the ECR repository " + repo.repository());
            EcrRepository repository = new EcrRepository(ecr, progress);
            repository.ensure(repo.ecrAccountId(), repo.repository(), createRepository);
            if (applicationArn != null) {
                repository.ensurePullPolicy(repo.ecrAccountId(), repo.repository(), applicationArn);
            }
        }
        if (!login) {
            return null;
        }
        EcrAuthorization auth = EcrAuthorization.fetch(ecr, repo.ecrAccountId());
        progress.info("ECR token for " + repo.registry() + " from GetAuthorizationToken, valid until " + auth.expiresAt());
        return auth;
    }

    private ImageReference reference() {
        return ImageReference.parse(repository, "repository");
    }
}
