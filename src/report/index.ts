/**
 * The report stage: the iw-report/1 format and everything made from finished reports: report.json, CSVs, the
 * stdout table, SVG figures and report.html, `iw check` (baseline comparison) and `iw compare`.
 */
export { REPORT_FORMAT, reportSchema, comparedModels, type Report, type ReportInput, type ReportLayer, type ReportCurveParameters, type ComparedModel, type ReportLayerYoking, type ReportLayerComparison } from './schema.js';
export { readReport, parseReport } from './readReport.js';
export { serializeReport, writeReportJson } from './writeReportJson.js';
export { writeReportFiles, type ReportFileOptions } from './writeReportFiles.js';
export { windowsCsv } from './windowsCsv.js';
export { fitsCsv, type LayerUnitFitRows, type UnitFitRow, type UnitFitStatus } from './fitsCsv.js';
export { yokingCsv } from './yokingCsv.js';
export { formatReportTable } from './reportTable.js';
export { reportFigures, type Figure } from './plot/reportFigures.js';
export { reportHtml } from './reportHtml.js';
export { writePlots } from './writePlots.js';
export { layerQuantities, readQuantity, type LayerQuantity, type QuantityReading } from './layerQuantities.js';
export { checkReport, type CheckResult, type QuantityCheck, type AppliedRule, type CheckOptions } from './check/checkReport.js';
export { checkReportFiles } from './check/checkFiles.js';
export { checkComparable } from './check/compatibility.js';
export { readToleranceFile, parseToleranceFile, toleranceFileSchema, checkedQuantities, type CheckedQuantity, type ToleranceFile, type ToleranceRule } from './check/tolerance.js';
export { formatCheckResult, checkResultJson } from './check/checkOutput.js';
export { labelReports, type ComparedReport } from './compare/comparedReport.js';
export { formatComparison, comparisonJson, comparisonBlocks } from './compare/compareTable.js';
export { comparisonFigures } from './compare/compareFigures.js';
export { writeComparison } from './compare/writeComparison.js';
export { STAGES, type StageName, type StageSeconds } from './stages.js';
