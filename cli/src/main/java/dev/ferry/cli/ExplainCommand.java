package dev.ferry.cli;

import dev.ferry.api.model.Kind;
import dev.ferry.api.validation.SchemaDocs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code explain KIND[.field.path]}: a kind's or a field's documentation from its schema in
 * {@code crds/} (the one the API server validates with): type, description and sub-fields, as
 * {@code kubectl explain} prints it. Needs no server. A field the schema does not have is an
 * error (exit 1) naming the fields that are there.
 */
@Command(name = "explain", description = "Show the documentation of a kind or of one of its fields.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl explain statefulapp",
        "  ferryctl explain statefulapp.spec.dataset",
        "  ferryctl explain migrations.spec.strategy"})
final class ExplainCommand extends Verb {

  @Parameters(index = "0", paramLabel = "KIND[.FIELD...]", description = "a kind, or a field path below it, e.g. statefulapp.spec.dataset")
  String path;

  @Override
  public Integer call() {
    List<String> parts = Arrays.asList(path.split("\\.", -1));
    Kind<?, ?, ?> kind = kind(parts.get(0));
    SchemaDocs.Field field = SchemaDocs.get().root(kind);
    List<String> walked = new ArrayList<>(List.of(parts.get(0)));
    for (String name : parts.subList(1, parts.size())) {
      SchemaDocs.Field parent = field;
      field = parent.field(name).orElseThrow(() -> new CliException("error: field \"" + name + "\" does not exist in "
          + String.join(".", walked) + (parent.fields().isEmpty() ? ", which has no fields"
          : ": its fields are " + String.join(", ", parent.fields().stream().map(SchemaDocs.Field::name).toList()))));
      walked.add(name);
    }
    out().println("KIND:     " + kind.name());
    out().println("VERSION:  ferry/v1");
    out().println();
    if (parts.size() > 1) {
      out().println("FIELD:    " + field.name() + " <" + field.type() + ">");
      out().println();
    }
    out().println("DESCRIPTION:");
    out().println(indent(field.description().isEmpty() ? "<empty>" : field.description(), "    "));
    if (!field.fields().isEmpty()) {
      out().println();
      out().println("FIELDS:");
      for (SchemaDocs.Field child : field.fields()) {
        out().println("  " + child.name() + "\t<" + child.type() + ">" + (child.required() ? " -required-" : ""));
        if (!child.description().isEmpty()) {
          out().println(indent(child.description(), "    "));
        }
        out().println();
      }
    }
    return ExitCodes.OK;
  }

  private static String indent(String text, String prefix) {
    return String.join("\n", text.lines().map(l -> prefix + l).toList());
  }
}
