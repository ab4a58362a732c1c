package dev.ferry.controller.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.ferry.api.model.GitRef;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A bare local copy of one GitSource's repository in the cache directory. Fetches one ref
 * and reads manifest files straight from the commit's tree: no working copy, so nothing on
 * disk is ever half checked out. Blocking: call it off the event loop.
 */
final class GitMirror {

  private static final int FETCH_TIMEOUT_SECONDS = 60;

  private final Path dir;

  GitMirror(Path dir) {
    this.dir = dir;
  }

  /**
   * Fetches what {@code ref} names from {@code url} and returns the commit it points at: a
   * branch's head, the commit a tag names (an annotated tag is peeled), or the pinned commit
   * itself, which is looked for on every branch and tag (git servers need not serve a bare commit
   * id) and not fetched again once the mirror has it.
   *
   * @throws GitException when the repository cannot be read, or the ref is not in it
   */
  String fetch(String url, GitRef ref, GitAuth auth) {
    try (Git git = open(); RevWalk walk = new RevWalk(git.getRepository())) {
      Repository repository = git.getRepository();
      if (!ref.commit().isEmpty()) {
        ObjectId pinned = ObjectId.fromString(ref.commit());
        if (!repository.getObjectDatabase().has(pinned)) {
          auth.configure(git.fetch().setRemote(url).setTimeout(FETCH_TIMEOUT_SECONDS)
              .setRefSpecs(new RefSpec("+refs/heads/*:refs/ferry/heads/*"), new RefSpec("+refs/tags/*:refs/ferry/tags/*")))
              .call();
        }
        if (!repository.getObjectDatabase().has(pinned)) {
          throw new GitException("commit " + ref.commit() + " not found on any branch or tag of " + url);
        }
        return walk.parseCommit(pinned).name();
      }
      boolean tag = !ref.tag().isEmpty();
      String remote = tag ? "refs/tags/" + ref.tag() : "refs/heads/" + ref.branch();
      String local = tag ? "refs/ferry/tags/" + ref.tag() : "refs/ferry/heads/" + ref.branch();
      auth.configure(git.fetch().setRemote(url).setTimeout(FETCH_TIMEOUT_SECONDS)
          .setRefSpecs(new RefSpec("+" + remote + ":" + local))).call();
      ObjectId head = repository.resolve(local + "^{commit}");
      if (head == null) {
        throw new GitException((tag ? "tag " + ref.tag() : "branch " + ref.branch()) + " not found in " + url);
      }
      return head.name();
    } catch (GitAPIException | IOException e) {
      throw new GitException("cannot fetch " + ref.describe() + " from " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code .yaml}, {@code .yml} and {@code .json} files under {@code folder} at {@code commit},
   * by path. Each file's size is read from git before its bytes are.
   *
   * @throws GitException naming the file larger than {@code limits.maxFileBytes()}, or when the
   *     files add up to more than {@code limits.maxSyncBytes()}
   */
  List<ManifestFile> manifests(String commit, String folder, GitOpsOptions limits) {
    String prefix = normalise(folder);
    try (Git git = open(); RevWalk walk = new RevWalk(git.getRepository())) {
      Repository repository = git.getRepository();
      RevCommit revision = walk.parseCommit(ObjectId.fromString(commit));
      List<ManifestFile> files = new ArrayList<>();
      long total = 0;
      try (TreeWalk tree = new TreeWalk(repository)) {
        tree.addTree(revision.getTree());
        tree.setRecursive(true);
        if (!prefix.isEmpty()) {
          tree.setFilter(PathFilter.create(prefix));
        }
        while (tree.next()) {
          String path = tree.getPathString();
          if (isManifest(path)) {
            ObjectLoader blob = repository.open(tree.getObjectId(0));
            long size = blob.getSize();
            if (size > limits.maxFileBytes()) {
              throw new GitException(path + " is " + size + " bytes, more than the " + limits.maxFileBytes()
                  + " a manifest file may hold: split it");
            }
            total += size;
            if (total > limits.maxSyncBytes()) {
              throw new GitException("the manifests under " + folder + " add up to more than the " + limits.maxSyncBytes()
                  + " bytes one sync reads (at " + path + "): split them over several GitSources");
            }
            byte[] bytes = blob.getCachedBytes((int) limits.maxFileBytes());
            files.add(new ManifestFile(path, new String(bytes, StandardCharsets.UTF_8)));
          }
        }
      }
      return files;
    } catch (LargeObjectException e) {
      throw new GitException("a manifest under " + folder + " is larger than " + limits.maxFileBytes() + " bytes", e);
    } catch (IOException e) {
      throw new GitException("cannot read " + folder + " at " + commit + ": " + e.getMessage(), e);
    }
  }

  /** An empty folder of this source's that the SSH client takes for its home ({@link GitAuth}). */
  Path sshHome() {
    return dir.resolve("ferry-ssh-home");
  }

  private Git open() throws IOException {
    try {
      if (Files.exists(dir.resolve("HEAD"))) {
        return Git.open(dir.toFile());
      }
      Files.createDirectories(dir);
      return Git.init().setBare(true).setDirectory(dir.toFile()).call();
    } catch (GitAPIException e) {
      throw new IOException("cannot create a git cache in " + dir, e);
    }
  }

  private static boolean isManifest(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
  }

  /** "." and "./apps/" to what a tree walk filters by: "" and "apps". */
  private static String normalise(String folder) {
    String p = folder.strip();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }
}
