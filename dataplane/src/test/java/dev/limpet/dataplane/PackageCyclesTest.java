package dev.limpet.dataplane;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The data plane's packages depend on each other one way only: no package cycles. */
@AnalyzeClasses(
    packages = "dev.limpet.dataplane",
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.limpet.dataplane.(*)..").should().beFreeOfCycles();
}
