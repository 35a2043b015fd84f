package io.jenkins.plugins.kedroemrs.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateImageOptionsTest {
    static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app:1.0";

    @TempDir
    Path workspace;

    static ValidateImageOptions options(String image, String packageSpec, String junit) {
        return new ValidateImageOptions(image, "emr-6.10.0", "amd64", "/usr/.pyenv/versions/3.11.9/bin/python", packageSpec, "",
                junit, true);
    }

    @Test
    void aSavedImageIsFoundInTheBaseFolderAndAReferenceStaysAsItIs() throws Exception {
        Files.createDirectories(workspace.resolve("out"));
        Files.writeString(workspace.resolve("out/image.tar"), "tar");
        ValidationRequest saved = options("out/image.tar", "greeter==0.1", null).toRequest(workspace, null);
        assertThat(saved.image()).isEqualTo(workspace.resolve("out/image.tar").toString());
        assertThat(saved.architecture()).isEqualTo("X86_64");
        assertThat(saved.packageName()).isEqualTo("greeter");
        assertThat(saved.packageVersion()).isEqualTo("0.1");
        assertThat(saved.confDir()).isEqualTo(ValidationRequest.DEFAULT_CONF_DIR);
        assertThat(saved.strict()).isTrue();

        ValidationRequest ref = options(ECR, "greeter", null).toRequest(workspace, null);
        assertThat(ref.image()).isEqualTo(ECR);
        assertThat(ref.packageVersion()).isNull();
    }

    @Test
    void thePackageComesFromTheSpecOrAPackagingResultNotBoth() throws Exception {
        PackageResult packaged = SamplePackageResult.write(workspace.resolve("dist"), "1.7.0");
        ValidationRequest r = options(ECR, "", null).toRequest(workspace, packaged);
        assertThat(r.packageName()).isEqualTo(packaged.distributionName());
        assertThat(r.packageVersion()).isEqualTo("0.1");
        assertThatThrownBy(() -> options(ECR, "greeter", null).toRequest(workspace, packaged))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("package"));
    }

    @Test
    void theJunitFileIsUnderTheBaseFolder() {
        assertThat(options(ECR, null, "reports/image.xml").junitFile(workspace)).isEqualTo(workspace.resolve("reports/image.xml"));
        assertThat(options(ECR, null, " ").junitFile(workspace)).isNull();
    }

    @Test
    void onlyAnEcrReferenceAsksForAnEcrLogin() {
        assertThat(options(ECR, null, null).ecrImage().ecrRegion()).isEqualTo("eu-west-1");
        assertThat(options("127.0.0.1:5000/kedro/app:1", null, null).ecrImage()).isNull();
        assertThat(options("out/image.tar", null, null).ecrImage()).isNull();
        assertThat(options("Not A Reference!", null, null).ecrImage()).isNull();
    }

    @Test
    void formChecksUseTheRequestsRules() {
        assertThatThrownBy(() -> ValidateImageOptions.checkImage("")).hasMessageContaining("no image given");
        assertThatThrownBy(() -> ValidateImageOptions.checkReleaseLabel("emr-5.36.0"))
                .hasMessageContaining("is not a release label this version knows");
        assertThatThrownBy(() -> ValidateImageOptions.checkArchitecture("sparc")).hasMessageContaining("is not an EMR Serverless architecture");
        assertThatThrownBy(() -> ValidateImageOptions.checkPython("python3")).hasMessageContaining("is not an absolute path");
        assertThatThrownBy(() -> ValidateImageOptions.checkPackage("==0.1")).hasMessageContaining("a version without a package name");
        assertThatThrownBy(() -> ValidateImageOptions.checkPackage("no spaces please")).hasMessageContaining("is not a Python distribution");
        assertThatThrownBy(() -> ValidateImageOptions.checkConfDir("conf")).hasMessageContaining("is not an absolute path in the image");
        ValidateImageOptions.checkReleaseLabel("");
        ValidateImageOptions.checkArchitecture("arm64");
        ValidateImageOptions.checkPython("");
        ValidateImageOptions.checkPackage("greeter==0.1");
        ValidateImageOptions.checkConfDir("");
        ValidateImageOptions.checkJunit("reports/image.xml");
    }

    @Test
    void theSummaryNamesTheImageAndTheRelease() {
        assertThat(options(ECR, null, null).summary()).isEqualTo(ECR + " (emr-6.10.0, amd64, strict)");
        assertThat(new ValidateImageOptions("out/image.tar", null, null, null, null, null, null, false).summary()).isEqualTo("out/image.tar");
    }

    @Test
    void theVerdictBecomesEnvironmentVariables() {
        ValidationReport r = new ValidationReport("app:1", "emr-6.10.0", "linux/amd64", "sha256:" + "ab".repeat(32), null,
                java.util.List.of(new CheckResult("user", CheckStatus.PASS, "hadoop:hadoop"), new CheckResult("python",
                        CheckStatus.WARN, "not checked")), true, false, 10, io.jenkins.plugins.kedroemrs.core.oci.ImageFiles.ReadStats.NONE);
        assertThat(r.toEnvironment()).containsEntry("EMRS_VALIDATION_PASSED", "false").containsEntry("EMRS_IMAGE_PLATFORM", "linux/amd64")
                .containsEntry("EMRS_IMAGE_MANIFEST_DIGEST", "sha256:" + "ab".repeat(32))
                .containsEntry("EMRS_VALIDATION_SUMMARY", r.summary());
        // How the report comes back from the agent that validated the image.
        assertThat(io.jenkins.plugins.kedroemrs.core.util.Json.read(io.jenkins.plugins.kedroemrs.core.util.Json.write(r),
                ValidationReport.class, "report")).isEqualTo(r);
    }
}
