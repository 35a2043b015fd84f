package io.jenkins.plugins.kedroemrs.jenkins.builders;

import hudson.model.AbstractProject;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;

/**
 * The descriptor of a freestyle build step that is a Pipeline step inside: its form is the step's ({@code <f:property
 * field="step"/>}), so the step's descriptor serves the help pages, the checks and the fills of every field, and the
 * two never drift apart. Available to every project type.
 */
abstract class StepBuilderDescriptor extends BuildStepDescriptor<Builder> {

    @Override
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
        return true;
    }
}
