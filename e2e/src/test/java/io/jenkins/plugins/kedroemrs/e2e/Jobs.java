package io.jenkins.plugins.kedroemrs.e2e;

/** Jobs' config.xml as Jenkins' REST API takes them ({@code createItem}). */
public final class Jobs {
    private Jobs() {
    }

    /** A Pipeline job running {@code script} in the sandbox, as a user's Jenkinsfile runs. */
    public static String pipeline(String description, String script) {
        return """
                <?xml version='1.1' encoding='UTF-8'?>
                <flow-definition>
                  <description>%s</description>
                  <keepDependencies>false</keepDependencies>
                  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
                    <script>%s</script>
                    <sandbox>true</sandbox>
                  </definition>
                  <disabled>false</disabled>
                </flow-definition>
                """.formatted(xml(description), xml(script));
    }

    /** Text as XML element content. */
    public static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
