import groovy.json.JsonSlurper

def report = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.json'))
def found = report.findings.findAll { it.id == 'unknown-label' }
assert found.size() == 1 : "expected one unknown-label finding but got ${report.findings}"
def finding = found[0]
assert finding.severity == 'error'
assert finding.file == 'src/main/prometheus/alerts.yml'
assert finding.line == 6
assert finding.column > 0
assert finding.metric == 'jobs_processed_total'
assert finding.message.contains('has no label \'status\'') : finding.message
assert finding.message.contains('[instance, job, outcome]') : finding.message
assert report.findings.size() == 1 : "expected only unknown-label but got ${report.findings}"
def sarif = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.sarif'))
assert sarif.runs[0].results[0].ruleId == 'unknown-label'
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert !log.contains('Exception in thread') && !log.contains('\tat org.projectbeacon')
return true
