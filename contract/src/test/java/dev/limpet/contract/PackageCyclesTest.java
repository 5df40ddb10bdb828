package dev.limpet.contract;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The contract's packages depend on each other one way only: no package cycles. */
@AnalyzeClasses(
    packages = "dev.limpet.contract",
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.limpet.(**)").should().beFreeOfCycles();
}
