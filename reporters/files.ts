/** The names of the files and folders a run writes into its report directory (docs/reports.md). */
export const REPORT_FILES = {
  json: 'results.json',
  junit: 'junit.xml',
  html: 'report.html',
  allureResults: 'allure-results',
  allureReport: 'allure-report.html',
} as const;
