package dev.ferry.e2e.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.MigrationStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The migration benchmark's results: the table and the verdict against the cut-over targets on
 * the terminal, {@code migration.json} and the chart {@code migration.png}.
 *
 * <p>The per-size downtime targets and the size ratio apply to PreCopy, the strategy that
 * promises a downtime independent of the size; StopAndCopy is measured to show what pre-copy
 * saves, and its ratio to PreCopy at 1 GiB is a target of its own.
 */
final class MigrationReport {

  /** One target and whether the runs met it; {@code measured} false when the runs cannot tell. */
  record Verdict(String target, boolean measured, boolean met, String figures) {

    String line() {
      return String.format("  %-4s %-62s %s", !measured ? "n/a" : met ? "PASS" : "FAIL", target, figures);
    }
  }

  static final double CONTROLLER_MEDIAN_S = 0.3;
  static final double CONTROLLER_MAX_S = 0.6;
  static final double CLIENT_MEDIAN_S = 0.5;
  static final double CLIENT_MAX_S = 1.0;
  static final double SIZE_RATIO_MAX = 1.15;
  static final double STOP_AND_COPY_RATIO_MIN = 10;
  static final long GIB = 1L << 30;

  private final MigrationBenchOptions options;
  private final List<MigrationRun> runs;

  MigrationReport(MigrationBenchOptions options, List<MigrationRun> runs) {
    this.options = options;
    this.runs = List.copyOf(runs);
  }

  /** The table, one row per migration. */
  String table() {
    StringBuilder out = new StringBuilder(String.format(
        "%-11s %-6s %-13s %4s %7s %7s | %6s %6s %6s %6s %6s | %7s %6s %10s %6s %4s%n", "strategy", "size", "move", "full",
        "client", "ctrl", "stop", "final", "switch", "start", "ready", "total", "rounds", "bytes", "acked", "lost"));
    for (MigrationRun r : runs) {
      Map<String, Double> p = r.phasesS();
      out.append(String.format("%-11s %-6s %-13s %4s %7.3f %7.3f | %6.3f %6.3f %6.3f %6.3f %6.3f | %7.2f %6d %10d %6d %4d%s%n",
          r.strategy(), r.size(), r.from() + "->" + r.to(), r.fullCopy() ? "yes" : "no", r.downtimeS(), r.controllerDowntimeS(), p.get("stop"),
          p.get("finalSync"), p.get("switch"), p.get("start"), p.get("ready"), r.totalS(), r.rounds(), r.bytesMoved(),
          r.writesAcked(), r.writesLost(), r.succeeded() ? "" : "  " + r.phase()));
    }
    out.append("(seconds; full = the first round sent the whole dataset, else only the difference to the copy the"
        + " target kept;\n client = longest gap between two acknowledged writes, ctrl = the Migration's status.downtime,"
        + " split into stop | final snapshot and send | switch | start | ready)\n");
    return out.toString();
  }

  /** Each target with the figures it was judged on. */
  List<Verdict> verdicts() {
    List<Verdict> verdicts = new ArrayList<>();
    List<MigrationRun> preCopy = of(MigrationStrategy.PreCopy);
    for (String size : sizes()) {
      List<MigrationRun> at = preCopy.stream().filter(r -> r.size().equals(size)).toList();
      verdicts.add(limits("PreCopy " + size + ": controller downtime median <= 0.3 s, max <= 0.6 s", at,
          MigrationRun::controllerDowntimeS, CONTROLLER_MEDIAN_S, CONTROLLER_MAX_S));
      verdicts.add(limits("PreCopy " + size + ": client downtime median <= 0.5 s, max <= 1 s", at,
          MigrationRun::downtimeS, CLIENT_MEDIAN_S, CLIENT_MAX_S));
    }
    List<String> sizes = sizes();
    String smallest = sizes.isEmpty() ? "" : sizes.get(0);
    String largest = sizes.isEmpty() ? "" : sizes.get(sizes.size() - 1);
    String target = "PreCopy downtime at " + largest + " / at " + smallest + " <= 1.15";
    if (sizes.size() < 2 || preCopyAt(largest).isEmpty() || preCopyAt(smallest).isEmpty()) {
      verdicts.add(new Verdict("PreCopy downtime at the largest / the smallest size <= 1.15", false, false,
          "needs PreCopy runs at two sizes"));
    } else {
      double ratio = median(preCopyAt(largest), MigrationRun::controllerDowntimeS)
          / median(preCopyAt(smallest), MigrationRun::controllerDowntimeS);
      verdicts.add(new Verdict(target, true, ratio <= SIZE_RATIO_MAX, String.format("%.2f (medians)", ratio)));
    }
    // StopAndCopy's downtime is the whole copy only when the target holds no old copy.
    List<MigrationRun> stopAt1Gi = at(of(MigrationStrategy.StopAndCopy), GIB).stream().filter(MigrationRun::fullCopy).toList();
    List<MigrationRun> preAt1Gi = at(preCopy, GIB);
    if (stopAt1Gi.isEmpty() || preAt1Gi.isEmpty()) {
      verdicts.add(new Verdict("StopAndCopy (full copy) / PreCopy downtime at 1Gi >= 10", false, false,
          "needs both strategies at --sizes 1Gi"));
    } else {
      double ratio = median(stopAt1Gi, MigrationRun::controllerDowntimeS) / median(preAt1Gi, MigrationRun::controllerDowntimeS);
      verdicts.add(new Verdict("StopAndCopy (full copy) / PreCopy downtime at 1Gi >= 10", true, ratio >= STOP_AND_COPY_RATIO_MIN,
          String.format("%.1f (medians)", ratio)));
    }
    long lost = runs.stream().mapToLong(MigrationRun::writesLost).sum();
    long acked = runs.stream().mapToLong(MigrationRun::writesAcked).sum();
    verdicts.add(new Verdict("writes lost: 0", true, lost == 0, lost + " of " + acked + " acknowledged"));
    long failed = runs.stream().filter(r -> !r.succeeded()).count();
    verdicts.add(new Verdict("every migration Succeeded", true, failed == 0, failed + " of " + runs.size() + " did not"));
    return verdicts;
  }

  /** Whether every target the runs can tell about was met. */
  boolean met() {
    return verdicts().stream().allMatch(v -> !v.measured() || v.met());
  }

  private Verdict limits(String target, List<MigrationRun> at, ToDoubleFunction<MigrationRun> figure, double medianMax,
      double maxMax) {
    if (at.isEmpty()) {
      return new Verdict(target, false, false, "no PreCopy runs");
    }
    double median = median(at, figure);
    double max = at.stream().mapToDouble(figure).max().orElseThrow();
    return new Verdict(target, true, median <= medianMax && max <= maxMax,
        String.format("median %.3f s, max %.3f s", median, max));
  }

  /** Writes {@code migration.json} and {@code migration.png} into {@code dir}. */
  void write(Path dir, Map<String, String> machine) throws IOException {
    Files.createDirectories(dir);
    ObjectNode json = Json.json().createObjectNode();
    ObjectNode o = json.putObject("options");
    o.putPOJO("sizes", options.sizes().stream().map(q -> q.text()).toList());
    o.put("runs", options.runs());
    o.putPOJO("strategies", options.strategies());
    o.put("writeRate", options.writeRate());
    json.putPOJO("machine", machine);
    json.set("runs", Json.json().valueToTree(runs));
    ArrayNode verdict = json.putArray("verdict");
    for (Verdict v : verdicts()) {
      verdict.addObject().put("target", v.target()).put("measured", v.measured()).put("met", v.met())
          .put("figures", v.figures());
    }
    json.put("met", met());
    Files.writeString(dir.resolve("migration.json"), Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    BitmapEncoder.saveBitmap(chart(), dir.resolve("migration.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * Median downtime against size, per strategy, as the controller and as the client saw it; for
   * StopAndCopy also its first moves alone (full copies), whose downtime is the whole copy.
   */
  XYChart chart() {
    XYChart chart = new XYChartBuilder().width(900).height(600).title("Ferry: cut-over downtime against dataset size")
        .xAxisTitle("dataset size (MiB)").yAxisTitle("downtime, median of the runs (s)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisMin(0.0);
    long largest = runs.stream().mapToLong(MigrationRun::sizeBytes).max().orElse(1);
    long smallest = runs.stream().mapToLong(MigrationRun::sizeBytes).min().orElse(1);
    chart.getStyler().setXAxisLogarithmic(largest >= 10 * smallest);
    for (MigrationStrategy s : options.strategies()) {
      series(chart, s + ", controller", of(s), MigrationRun::controllerDowntimeS, SeriesMarkers.CIRCLE);
      series(chart, s + ", client", of(s), MigrationRun::downtimeS, SeriesMarkers.DIAMOND);
      if (s == MigrationStrategy.StopAndCopy) {
        series(chart, s + ", controller, full copies", of(s).stream().filter(MigrationRun::fullCopy).toList(),
            MigrationRun::controllerDowntimeS, SeriesMarkers.SQUARE);
      }
    }
    return chart;
  }

  private void series(XYChart chart, String name, List<MigrationRun> of, ToDoubleFunction<MigrationRun> figure,
      Marker marker) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (String size : sizes()) {
      List<MigrationRun> at = of.stream().filter(r -> r.size().equals(size)).toList();
      if (!at.isEmpty()) {
        x.add(at.get(0).sizeBytes() / (double) (1 << 20));
        y.add(median(at, figure));
      }
    }
    if (!x.isEmpty()) {
      chart.addSeries(name, x, y).setMarker(marker);
    }
  }

  private List<String> sizes() {
    return runs.stream().sorted((a, b) -> Long.compare(a.sizeBytes(), b.sizeBytes())).map(MigrationRun::size).distinct()
        .toList();
  }

  private List<MigrationRun> of(MigrationStrategy s) {
    return runs.stream().filter(r -> r.strategy().equals(s.name())).toList();
  }

  private List<MigrationRun> preCopyAt(String size) {
    return of(MigrationStrategy.PreCopy).stream().filter(r -> r.size().equals(size)).toList();
  }

  private static List<MigrationRun> at(List<MigrationRun> runs, long bytes) {
    return runs.stream().filter(r -> r.sizeBytes() == bytes).toList();
  }

  static double median(List<MigrationRun> runs, ToDoubleFunction<MigrationRun> figure) {
    double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
