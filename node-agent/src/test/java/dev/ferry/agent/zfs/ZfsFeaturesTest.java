package dev.ferry.agent.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZfsFeaturesTest {

  private static final String ZFS_FUSE_USAGE = """
      usage: zfs command args ...
      where 'command' is one of the following:

      \tcreate [-p] [-o property=value] ... <filesystem>
      \tlist [-rH][-d max] [-o property[,...]] [-t type[,...]] [-s property] ...
      \t    [-S property] ... [filesystem|volume|snapshot] ...
      \tsend [-RDp] [-[iI] snapshot] <snapshot>
      \treceive [-vnF] <filesystem|volume|snapshot>
      \treceive [-vnF] -d <filesystem>
      \thold [-r] <tag> <snapshot> ...
      """;

  private static final String OPENZFS_USAGE = """
      usage: zfs command args ...
      where 'command' is one of the following:

      \tlist [-Hp] [-r|-d max] [-o property[,...]] [-s property]...
      \t    [-S property]... [-t type[,...]] [filesystem|volume|snapshot] ...
      \tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...
      \tbookmark <snapshot|bookmark> <newbookmark>
      \tsend [-DLPbcehnpsVvw] [-i|-I snapshot]
      \t     [-R [-X dataset[,dataset]...]]     <snapshot>
      \tsend [-DnVvPLecw] [-i snapshot|bookmark] <filesystem|volume|snapshot>
      \treceive [-vMnsFhu] [-o <property>=<value>] ... [-x <property>] ...
      \t    <filesystem|volume|snapshot>
      \treceive -A <filesystem|volume>
      """;

  @Test
  void zfsFuseOffersNoneOfTheOptionalFeatures() {
    assertThat(ZfsFeatures.fromUsage(ZFS_FUSE_USAGE)).isEqualTo(ZfsFeatures.NONE);
  }

  @Test
  void openZfsOffersThemAll() {
    assertThat(ZfsFeatures.fromUsage(OPENZFS_USAGE)).isEqualTo(new ZfsFeatures(true, true, true, true));
  }

  @Test
  void unknownTextOffersNothing() {
    assertThat(ZfsFeatures.fromUsage("zfs: command not found")).isEqualTo(ZfsFeatures.NONE);
  }
}
