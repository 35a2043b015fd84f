package io.jenkins.plugins.kedroemrs.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.console.ConsoleNote;
import hudson.slaves.DumbSlave;
import hudson.util.StreamTaskListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jenkins.security.MasterToSlaveCallable;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Links in the build log, written where the step's work runs: the controller, or an agent (its own JVM). */
@WithJenkins
class JenkinsProgressTest {
    static final String URL = "https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/123456789012/kedro/app";

    @Test
    void aLinkIsANoteOnTheControllerAndABareUrlOnAnAgent(JenkinsRule r) throws Exception {
        String controller = new Emit().call();
        assertThat(controller).contains(ConsoleNote.PREAMBLE_STR, URL);

        DumbSlave agent = r.createOnlineSlave();
        String onAgent = agent.getChannel().call(new Emit());
        // An agent cannot sign a note (the controller would drop it, and the link with it): the URL alone, once.
        assertThat(onAgent).doesNotContain(ConsoleNote.PREAMBLE_STR).isEqualTo("[step] The image in the ECR console: " + URL + "\n");
    }

    /** What a FileCallable's progress writes, returned as text. */
    static final class Emit extends MasterToSlaveCallable<String, IOException> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StreamTaskListener listener = new StreamTaskListener(out, StandardCharsets.UTF_8);
            new JenkinsProgress(listener, "step").link("The image in the ECR console", URL);
            listener.getLogger().flush();
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
