package io.jenkins.plugins.kedroemrs.core.emrs;

import static io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputsTest.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KedroRunOptionsTest {

    @Test
    void theGuidesArgumentsForKedroBefore1() {
        KedroRunOptions o = new KedroRunOptions("emr", "ThreadRunner", List.of("greet"), null, null, null, null);
        assertThat(o.arguments("0.19.14")).containsExactly("--env", "emr", "--runner", "ThreadRunner", "--pipeline", "greet");
    }

    @Test
    void kedro1SpellsItPipelinesAndTakesSeveral() {
        KedroRunOptions o = new KedroRunOptions("emr", null, List.of("a", "b"), List.of("t1", "t2"),
                KedroRunOptions.parseParams(List.of("alpha=0.1", "model.depth=3", "out_dir=s3://b/out")), "s3://b/conf",
                List.of("--async"));
        assertThat(o.arguments("1.7.0")).containsExactly("--env", "emr", "--pipelines", "a,b", "--tags", "t1,t2",
                "--params", "alpha=0.1,model.depth=3,out_dir=s3://b/out", "--conf-source", "s3://b/conf", "--async");
    }

    @Test
    void nothingGivenMeansKedrosDefaults() {
        assertThat(KedroRunOptions.defaults().arguments("1.7.0")).isEmpty();
    }

    @Test
    void badValuesNameTheOption() {
        rejected(() -> new KedroRunOptions(null, null, List.of("a", "b"), null, null, null, null).arguments("0.19.3"),
                "pipeline", "Kedro 0.19.3 runs one pipeline per run, got [a, b]");
        rejected(() -> new KedroRunOptions(null, null, List.of("a,b"), null, null, null, null).arguments("1.0.0"),
                "pipeline", "\"a,b\" is not a pipeline name");
        rejected(() -> new KedroRunOptions(null, null, null, null, Map.of("alpha", "1,2"), null, null).arguments("1.0.0"),
                "param", "the value of alpha contains a comma");
        rejected(() -> KedroRunOptions.parseParams(List.of("alpha")), "param", "\"alpha\" is not name=value");
        rejected(() -> new KedroRunOptions("my env", null, null, null, null, null, null).arguments("1.0.0"),
                "env", "\"my env\" is not a single name");
    }
}
