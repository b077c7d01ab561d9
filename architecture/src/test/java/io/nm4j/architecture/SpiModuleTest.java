package io.nm4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Secret;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The plugin contract is a named module: whoever puts {@code nm-spi} on the module path gets {@code
 * io.nm4j.spi}, which exports its one package and reads only the JDK (JSpecify's annotations are
 * needed to compile, not to run).
 */
class SpiModuleTest {

  @Test
  void nmSpiIsTheModuleIoNm4jSpiExportingOnlyItsPackageAndReadingOnlyTheJdk() throws Exception {
    Path location =
        Path.of(Secret.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    Set<ModuleReference> found = ModuleFinder.of(location).findAll();

    assertThat(found).hasSize(1);
    ModuleDescriptor spi = found.iterator().next().descriptor();
    assertThat(spi.name()).isEqualTo("io.nm4j.spi");
    assertThat(spi.isAutomatic()).isFalse();
    assertThat(spi.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.nm4j.spi");
    assertThat(
            spi.requires().stream()
                .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .containsExactly("java.base");
  }
}
