package dev.ferry.cli;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.validation.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The objects named by {@code -f}: files, folders (their {@code .yaml}, {@code .yml} and
 * {@code .json} files, sorted; subfolders with {@code -R}) and {@code -} for standard input.
 * Every object is validated as the API server would before any is sent, so a bad file applies
 * nothing.
 */
final class ManifestFiles {

  private ManifestFiles() {}

  /** The objects in {@code names}; {@code verb} ({@code apply}, {@code delete}) words the error when there are none. */
  static List<FerryObject<?, ?, ?>> read(List<String> names, boolean recursive, String verb, CliEnv env) {
    List<FerryObject<?, ?, ?>> objects = new ArrayList<>();
    List<String> deeper = new ArrayList<>();
    for (String name : names) {
      if (name.equals("-")) {
        objects.addAll(parse("<stdin>", stdin(env)));
        continue;
      }
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        for (Path file : files(path, recursive)) {
          objects.addAll(parse(file.toString(), text(file)));
        }
        if (!recursive && !files(path, true).isEmpty()) {
          deeper.add(name);
        }
      } else if (Files.exists(path)) {
        objects.addAll(parse(name, text(path)));
      } else {
        throw new CliException("error: the path \"" + name + "\" does not exist");
      }
    }
    if (objects.isEmpty()) {
      // As kubectl, a folder's subfolders are read only with -R; say so rather than leave the
      // user guessing why nothing happened.
      throw new CliException("error: no objects passed to " + verb + (deeper.isEmpty() ? ""
          : ": " + String.join(", ", deeper) + " has manifests only in subfolders; add -R to read them"));
    }
    return objects;
  }

  private static List<FerryObject<?, ?, ?>> parse(String origin, String text) {
    try {
      return Manifests.read(text);
    } catch (ValidationException e) {
      throw new CliException("error: " + origin + ": " + e.getMessage());
    }
  }

  private static List<Path> files(Path dir, boolean recursive) {
    try (Stream<Path> walk = recursive ? Files.walk(dir) : Files.list(dir)) {
      return walk.filter(Files::isRegularFile).filter(ManifestFiles::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new CliException("error: cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new CliException("error: cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String stdin(CliEnv env) {
    try {
      return new String(env.in().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("error: cannot read standard input: " + e.getMessage());
    }
  }
}
