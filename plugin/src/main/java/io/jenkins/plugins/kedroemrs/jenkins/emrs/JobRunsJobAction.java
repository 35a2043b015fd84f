package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import edu.hm.hafner.echarts.JacksonFacade;
import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LinesChartModel;
import edu.hm.hafner.echarts.line.LinesDataSet;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.echarts.AsyncTrendChart;
import io.jenkins.plugins.echarts.JenkinsPalette;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jenkins.model.TransientActionFactory;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * A job's "EMR Serverless" page: a trend across builds (run time and queue time, and cost, per build) and the table of
 * the job runs of its last {@link #MAX_BUILDS} builds with links, newest first; the trend is also on the job's page
 * (floatingBox.jelly). Drawn with the ECharts API plugin as warnings-ng and coverage draw trends: the chart's model is
 * fetched by the page through a bound {@link AsyncTrendChart}. Everything is read from what the builds' {@link
 * JobRunAction}s saved: no AWS call.
 */
public final class JobRunsJobAction implements Action {
    /** How many of the newest builds the page and the trend read. */
    static final int MAX_BUILDS = 50;

    private final Job<?, ?> job;

    JobRunsJobAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cloud";
    }

    @Override
    public String getDisplayName() {
        return Messages.JobRunsJobAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "emr-serverless";
    }

    /** Every job run of the newest builds, newest first. */
    public List<Row> getRows() {
        List<Row> rows = new ArrayList<>();
        for (Run<?, ?> build : job.getBuilds().limit(MAX_BUILDS)) {
            List<JobRunAction> actions = build.getActions(JobRunAction.class);
            for (int i = actions.size() - 1; i >= 0; i--) {
                rows.add(new Row(build, actions.get(i)));
            }
        }
        return rows;
    }

    /** The sum of the dollars in {@link #getRows()}, or {@code null} when none has a price. */
    public String getTotalDollars() {
        Double sum = getRows().stream().map(r -> r.getFigures() == null ? null : r.getFigures().getUsd()).filter(u -> u != null)
                .reduce(Double::sum).orElse(null);
        return sum == null ? null : JobRunCost.dollars(sum);
    }

    /** Run time and queue time (minutes) per build. */
    public Trend getTimeTrend() {
        return new Trend(job, Map.of(
                Messages.JobRunsJobAction_RunTime(), f -> f.getRunSeconds() == null ? null : f.getRunSeconds() / 60.0,
                Messages.JobRunsJobAction_QueueTime(), f -> f.getQueuedSeconds() == null ? null : f.getQueuedSeconds() / 60.0),
                List.of(Messages.JobRunsJobAction_RunTime(), Messages.JobRunsJobAction_QueueTime()), 1);
    }

    /** Cost (US dollars) per build. */
    public Trend getCostTrend() {
        return new Trend(job, Map.of(Messages.JobRunsJobAction_Cost(), JobRunFigures::getUsd),
                List.of(Messages.JobRunsJobAction_Cost()), 4);
    }

    /** One job run of one build. */
    public static final class Row {
        private final Run<?, ?> build;
        private final JobRunAction action;

        Row(Run<?, ?> build, JobRunAction action) {
            this.build = build;
            this.action = action;
        }

        public Run<?, ?> getBuild() {
            return build;
        }

        public JobRunAction getAction() {
            return action;
        }

        public JobRunFigures getFigures() {
            return action.getFigures();
        }
    }

    /**
     * A trend chart of per-build sums of some figures, oldest build left. A build whose job runs have none of the
     * figures (not ended, or from before the cost was kept) is left out.
     */
    public static final class Trend implements AsyncTrendChart {
        private final Job<?, ?> job;
        private final Map<String, Function<JobRunFigures, Double>> series;
        private final List<String> order;
        private final int decimals;

        Trend(Job<?, ?> job, Map<String, Function<JobRunFigures, Double>> series, List<String> order, int decimals) {
            this.job = job;
            this.series = series;
            this.order = order;
            this.decimals = decimals;
        }

        /** Clicks on the chart open the build: {@code <number>/.} relative to the job's page. */
        public String getUrlName() {
            return ".";
        }

        @Override
        public boolean isTrendVisible() {
            return !points().isEmpty();
        }

        @JavaScriptMethod
        @Override
        public String getBuildTrendModel() {
            return new JacksonFacade().toJson(model());
        }

        /** The chart's model: one series per figure, one point per build that has one. */
        public LinesChartModel model() {
            LinesDataSet data = new LinesDataSet();
            data.setDecimals(decimals);
            for (Map.Entry<Run<?, ?>, Map<String, Double>> point : points()) {
                data.add(point.getKey().getDisplayName(), point.getValue(), point.getKey().getNumber());
            }
            LinesChartModel model = new LinesChartModel(data);
            model.setDomainAxisItemName(Messages.JobRunsJobAction_Build());
            model.setRangeMin(0); // minutes and dollars from zero: a 10 % change should look like one
            int color = 0;
            for (String name : order) {
                model.addSeries(new LineSeries(name, JenkinsPalette.chartColor(color++).normal(), LineSeries.StackedMode.SEPARATE_LINES,
                        LineSeries.FilledMode.LINES, data.getSeries(name)));
            }
            return model;
        }

        private List<Map.Entry<Run<?, ?>, Map<String, Double>>> points() {
            List<Map.Entry<Run<?, ?>, Map<String, Double>>> points = new ArrayList<>();
            for (Run<?, ?> build : job.getBuilds().limit(MAX_BUILDS)) {
                Map<String, Double> sums = new java.util.LinkedHashMap<>();
                for (JobRunAction a : build.getActions(JobRunAction.class)) {
                    JobRunFigures f = a.getFigures();
                    if (f == null) {
                        continue;
                    }
                    for (Map.Entry<String, Function<JobRunFigures, Double>> s : series.entrySet()) {
                        Double v = s.getValue().apply(f);
                        if (v != null) {
                            sums.merge(s.getKey(), v, Double::sum);
                        }
                    }
                }
                if (sums.size() == series.size()) {
                    points.add(0, Map.entry(build, sums));
                }
            }
            return points;
        }
    }

    /**
     * Adds the page to a job one of whose recent builds ran {@code emrsSubmit} (its last build, last completed or last
     * successful one: at most three builds read, whatever the job's length).
     */
    @Extension
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            for (Run<?, ?> r : new Run<?, ?>[] {target.getLastBuild(), target.getLastCompletedBuild(), target.getLastSuccessfulBuild()}) {
                if (r != null && !r.getActions(JobRunAction.class).isEmpty()) {
                    return List.of(new JobRunsJobAction(target));
                }
            }
            return List.of();
        }
    }
}
