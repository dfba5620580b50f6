import groovy.json.JsonSlurper

def report = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.json'))
def found = report.findings.findAll { it.id == 'range-too-short' }
assert found.size() == 1 : "expected one range-too-short finding but got ${report.findings}"
def finding = found[0]
assert finding.severity == 'error'
assert finding.file == 'src/main/prometheus/alerts.yml'
assert finding.line == 6
assert finding.column > 0
assert finding.metric == 'jobs_processed_total'
assert finding.message.contains('[20s]') : finding.message
assert finding.message.contains('use [1m]') : finding.message
assert report.findings.size() == 1 : "expected only range-too-short but got ${report.findings}"
def sarif = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.sarif'))
assert sarif.runs[0].results[0].ruleId == 'range-too-short'
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert !log.contains('Exception in thread') && !log.contains('\tat org.projectbeacon')
return true
