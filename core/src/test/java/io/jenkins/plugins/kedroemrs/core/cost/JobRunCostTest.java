package io.jenkins.plugins.kedroemrs.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.model.JobRun;

/** The cost of a run from GetJobRun's figures and a price table: the shipped list prices and a price file. */
class JobRunCostTest {
    static final JobRun BILLED = JobRun.builder().billedResourceUtilization(u -> u.vcpuHour(1.42).memoryGBHour(5.68).storageGBHour(0.0))
            .queuedDurationMilliseconds(12_000L).totalExecutionDurationSeconds(243).build();

    @TempDir
    Path dir;

    @Test
    void listPricesForTwoRegionsAndBothArchitectures() {
        JobRunCost x86 = JobRunCost.of(BILLED, "us-east-1", "X86_64", PriceTable.LIST);
        assertThat(x86.usd()).isCloseTo(1.42 * 0.052624 + 5.68 * 0.0057785, within(1e-9));
        assertThat(x86.line()).isEqualTo("billed 1.42 vCPU-h, 5.68 GB-h, 0 storage GB-h ≈ $0.11 (us-east-1, X86_64, list prices of "
                + "2026-12-04); queued 12 s, ran 4 min 3 s");

        JobRunCost arm = JobRunCost.of(BILLED, "eu-west-1", "ARM64", PriceTable.LIST);
        assertThat(arm.usd()).isCloseTo(1.42 * 0.042094 + 5.68 * 0.004628, within(1e-9));
        assertThat(arm.line()).startsWith("billed 1.42 vCPU-h, 5.68 GB-h, 0 storage GB-h ≈ $0.09 (eu-west-1, ARM64, list prices of ");
        assertThat(JobRunCost.of(BILLED, "eu-west-1", "X86_64", PriceTable.LIST).usd()).isEqualTo(x86.usd());
        assertThat(JobRunCost.of(BILLED, "us-east-1", "ARM64", PriceTable.LIST).usd()).isEqualTo(arm.usd());
        assertThat(arm.usd()).isLessThan(x86.usd());
    }

    @Test
    void aRegionWithoutAPriceSaysSoInsteadOfGuessing() {
        JobRunCost cost = JobRunCost.of(BILLED, "ap-southeast-7", "ARM64", PriceTable.LIST);
        assertThat(cost.usd()).isNull();
        assertThat(cost.vcpuHours()).isEqualTo(1.42);
        assertThat(cost.noPrice()).isEqualTo("no price for region ap-southeast-7 (ARM64); give one with --price-file (the step's "
                + "priceFile)");
        assertThat(cost.line()).isEqualTo("billed 1.42 vCPU-h, 5.68 GB-h, 0 storage GB-h, no dollars: no price for region "
                + "ap-southeast-7 (ARM64); give one with --price-file (the step's priceFile); queued 12 s, ran 4 min 3 s");
        assertThat(cost.toEnvironment()).containsEntry("EMRS_VCPU_HOURS", "1.42").doesNotContainKey("EMRS_COST_USD");
        assertThat(JobRunCost.of(BILLED, "../../etc", "ARM64", PriceTable.LIST).usd()).isNull();
    }

    @Test
    void aPriceFileReplacesTheListPrices() throws Exception {
        Path file = dir.resolve("negotiated.json");
        Files.writeString(file, """
                [{"region": "ap-southeast-7", "architecture": "*", "vcpuHour": 0.04, "memoryGbHour": 0.004, "storageGbHour": 0.0001,
                  "source": "our contract", "date": "2026-11-01"},
                 {"region": "*", "architecture": "X86_64", "vcpuHour": 0.05, "memoryGbHour": 0.005, "storageGbHour": 0}]
                """);
        PriceTable table = PriceTable.read(file);
        JobRunCost cost = JobRunCost.of(BILLED, "ap-southeast-7", "ARM64", table);
        assertThat(cost.usd()).isCloseTo(1.42 * 0.04 + 5.68 * 0.004, within(1e-9));
        assertThat(cost.line()).contains("≈ $0.08 (ap-southeast-7, ARM64, prices of " + file + " (2026-11-01))");
        assertThat(JobRunCost.of(BILLED, "us-east-1", "X86_64", table).usd()).isCloseTo(1.42 * 0.05 + 5.68 * 0.005, within(1e-9));
        assertThat(JobRunCost.of(BILLED, "us-east-1", "ARM64", table).noPrice())
                .isEqualTo("no price for region us-east-1 (ARM64) in the price file");
        assertThat(PriceTable.parse("""
                {"region": "us-east-1", "architecture": "ARM64", "vcpuHour": 1, "memoryGbHour": 0, "storageGbHour": 0}""", "one")
                .priceOf("us-east-1", "arm64")).isPresent();
    }

    @Test
    void aBadPriceFileNamesTheFieldAndTheFix() throws Exception {
        assertThatThrownBy(() -> PriceTable.read(dir.resolve("missing.json"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("price-file").hasMessageContaining("is not a file");
        assertThatThrownBy(() -> PriceTable.parse("{\"region\": \"us-east-1\", \"architecture\": \"X86_64\", \"vcpuHour\": 1}", "p.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("p.json has a price for us-east-1 X86_64 without vcpuHour, memoryGbHour or storageGbHour")
                .hasMessageContaining("write a JSON object");
        assertThatThrownBy(() -> PriceTable.parse("{\"region\": \"us-east-1\", \"architecture\": \"sparc\", \"vcpuHour\": 1, "
                + "\"memoryGbHour\": 1, \"storageGbHour\": 1}", "p.json")).hasMessageContaining("\"architecture\" is sparc");
        assertThatThrownBy(() -> PriceTable.parse("{\"region\": \"us-east-1\", \"architecture\": \"ARM64\", \"currency\": \"EUR\", "
                + "\"vcpuHour\": 1, \"memoryGbHour\": 1, \"storageGbHour\": 1}", "p.json")).hasMessageContaining("only USD");
        assertThatThrownBy(() -> PriceTable.parse("[]", "p.json")).hasMessageContaining("holds no price");
        assertThatThrownBy(() -> PriceTable.parse("{ not json", "p.json")).hasMessageContaining("is not a price file");
    }

    @Test
    void everyShippedPriceFileIsWellFormedAndNamedForItsRegionAndArchitecture() throws Exception {
        Path prices = Path.of("src/main/resources/io/jenkins/plugins/kedroemrs/core/cost/prices");
        try (var files = Files.list(prices)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(f -> {
                Price p = PriceTable.parse(Files.readString(f), f.toString()).priceOf("x", "y").orElse(null);
                assertThat(p).isNull(); // no wildcard among the list prices
                String name = f.getFileName().toString().replace(".json", "");
                String region = name.substring(0, name.lastIndexOf('-'));
                String arch = name.substring(name.lastIndexOf('-') + 1);
                Price shipped = PriceTable.LIST.priceOf(region, arch.toUpperCase()).orElseThrow();
                assertThat(shipped.region()).isEqualTo(region);
                assertThat(shipped.architecture()).isEqualToIgnoringCase(arch);
                assertThat(shipped.source()).startsWith("https://aws.amazon.com/emr/pricing/");
                assertThat(shipped.date()).matches("\\d{4}-\\d{2}-\\d{2}");
            });
        }
    }

    @Test
    void figuresAndDollarsReadAsAPersonWritesThem() {
        assertThat(JobRunCost.dollars(0.10754)).isEqualTo("$0.11");
        assertThat(JobRunCost.dollars(12.4)).isEqualTo("$12.40");
        assertThat(JobRunCost.dollars(0.004321)).isEqualTo("$0.0043");
        assertThat(JobRunCost.dollars(0)).isEqualTo("$0");
        assertThat(JobRunCost.figure(0.013444)).isEqualTo("0.0134");
        assertThat(JobRunCost.figure(0.5)).isEqualTo("0.5");
        assertThat(JobRunCost.figure(0.0)).isEqualTo("0");
        JobRunCost cost = JobRunCost.of(BILLED, "us-east-1", "X86_64", PriceTable.LIST);
        assertThat(cost.toEnvironment()).containsEntry("EMRS_VCPU_HOURS", "1.42").containsEntry("EMRS_MEMORY_GB_HOURS", "5.68")
                .containsEntry("EMRS_STORAGE_GB_HOURS", "0").containsEntry("EMRS_QUEUED_SECONDS", "12")
                .containsEntry("EMRS_RUN_SECONDS", "243").containsKey("EMRS_COST_USD");
        assertThat(Double.parseDouble(cost.toEnvironment().get("EMRS_COST_USD"))).isEqualTo(cost.usd());
    }

    @Test
    void aRunBilledNothingSaysSo() {
        JobRunCost cost = JobRunCost.of(JobRun.builder().build(), "us-east-1", "X86_64", PriceTable.LIST);
        assertThat(cost.line()).isEqualTo("nothing billed (the service reported no billed resources)");
        assertThat(cost.withoutPrice("other")).isSameAs(cost);
        assertThat(cost.toEnvironment()).isEmpty();
    }
}
