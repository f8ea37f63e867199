package io.refreshorchestrator.benchmark.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * PNG charts of a comparison, drawn with XChart: per workload, each strategy's lag at p50, p95, p99
 * and max on a log scale; and the write latency (p50, p99) per strategy and workload.
 */
final class Charts {

    private static final double FLOOR_MS = 0.1; // a log axis cannot show 0

    private Charts() {}

    /**
     * Writes the charts next to {@code base} ({@code <base>-lag-<workload>.png}, ...); returns
     * their file names.
     */
    static List<String> write(CompareReport report, Path directory, String base)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        var files = new ArrayList<String>();
        for (String workload : report.workloads().keySet()) {
            XYChart chart =
                    new XYChartBuilder()
                            .width(1100)
                            .height(500)
                            .title("Freshness lag, " + workload + " (log scale)")
                            .xAxisTitle("percentile (50, 95, 99, max)")
                            .yAxisTitle("lag ms")
                            .build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            boolean any = false;
            for (CellResult c : report.cells()) {
                if (!c.workload().equals(workload)
                        || c.skipped() != null
                        || c.lag().samples() == 0) {
                    continue;
                }
                var lag = c.lag();
                chart.addSeries(
                        MarkdownReport.label(c),
                        new double[] {50, 95, 99, 100},
                        new double[] {
                            floor(lag.p50Ms()),
                            floor(lag.p95Ms()),
                            floor(lag.p99Ms()),
                            floor(lag.maxMs())
                        });
                any = true;
            }
            if (any) {
                String name = base + "-lag-" + workload + ".png";
                BitmapEncoder.saveBitmap(
                        chart, directory.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
                files.add(name);
            }
        }
        CategoryChart latency =
                new CategoryChartBuilder()
                        .width(1100)
                        .height(500)
                        .title("Write latency p99 from scheduled arrival")
                        .xAxisTitle("strategy")
                        .yAxisTitle("ms")
                        .build();
        latency.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        latency.getStyler().setXAxisLabelRotation(20);
        for (String workload : report.workloads().keySet()) {
            var names = new ArrayList<String>();
            var values = new ArrayList<Double>();
            for (CellResult c : report.cells()) {
                if (c.workload().equals(workload) && c.skipped() == null && !c.computed()) {
                    names.add(c.strategy());
                    values.add(Double.isNaN(c.writeP99Ms()) ? 0.0 : c.writeP99Ms());
                }
            }
            if (!names.isEmpty()) {
                latency.addSeries(workload + " p99", names, values);
            }
        }
        if (!latency.getSeriesMap().isEmpty()) {
            String name = base + "-write-latency.png";
            BitmapEncoder.saveBitmap(
                    latency, directory.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
            files.add(name);
        }
        return files;
    }

    private static double floor(double ms) {
        return Double.isNaN(ms) ? FLOOR_MS : Math.max(FLOOR_MS, ms);
    }
}
