package io.jenkins.plugins.kedroemrs.core.emrs;

import static io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputsTest.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparkSubmitParametersTest {
    static final String PY = "/usr/.pyenv/versions/3.9.16/bin/python";
    /** Verbatim from the Kedro guide's aws emr-serverless start-job-run example. */
    static final String GUIDE = "--conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=/usr/.pyenv/versions/3.9.16/bin/python"
            + " --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=/usr/.pyenv/versions/3.9.16/bin/python"
            + " --conf spark.executorEnv.PYSPARK_PYTHON=/usr/.pyenv/versions/3.9.16/bin/python";

    @Test
    void theGuidesThreePropertiesComeFirst() {
        assertThat(SparkSubmitParameters.build(PY, List.of(), null)).isEqualTo(GUIDE);
    }

    @Test
    void userPropertiesAndOptionsFollow() {
        assertThat(SparkSubmitParameters.build(PY, List.of("spark.executor.memory=4g", "spark.executor.cores=2"),
                "--conf spark.dynamicAllocation.enabled=false --jars s3://b/lib.jar"))
                .isEqualTo(GUIDE + " --conf spark.executor.memory=4g --conf spark.executor.cores=2"
                        + " --conf spark.dynamicAllocation.enabled=false --jars s3://b/lib.jar");
    }

    @Test
    void repeatingTheCustomPythonIsHarmless() {
        assertThat(SparkSubmitParameters.build(PY, List.of("spark.executorEnv.PYSPARK_PYTHON=" + PY), null)).isEqualTo(GUIDE);
    }

    @Test
    void aUserValueMayNotReplaceTheCustomPython() {
        rejected(() -> SparkSubmitParameters.build(PY, List.of("spark.executorEnv.PYSPARK_PYTHON=/usr/bin/python3"), null),
                "spark-conf", "spark.executorEnv.PYSPARK_PYTHON=/usr/bin/python3 conflicts with the custom Python " + PY);
        rejected(() -> SparkSubmitParameters.build(PY, List.of(),
                "--conf \"spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=/usr/bin/python3\""),
                "spark-submit-parameters", "conflicts with the custom Python");
        rejected(() -> SparkSubmitParameters.build(PY, List.of(), "--conf=spark.pyspark.python=/opt/py"),
                "spark-submit-parameters", "spark.pyspark.python=/opt/py would run another Python than the image's");
        rejected(() -> SparkSubmitParameters.build(PY, List.of("spark.executor.memory=4g"), "--conf spark.executor.memory=8g"),
                "spark-submit-parameters", "spark.executor.memory is set twice, to 4g and to 8g");
    }

    @Test
    void malformedInputNamesTheOption() {
        rejected(() -> SparkSubmitParameters.build(PY, List.of("spark.executor.memory"), null), "spark-conf",
                "\"spark.executor.memory\" is not a key=value Spark property");
        rejected(() -> SparkSubmitParameters.build(PY, List.of(), "--conf"), "spark-submit-parameters", "has no value");
        rejected(() -> SparkSubmitParameters.build(PY, List.of(), "--conf 'a=b"), "spark-submit-parameters", "quote is not closed");
        rejected(() -> SparkSubmitParameters.build("python3", List.of(), null), "image-python", "is not an absolute path");
    }
}
