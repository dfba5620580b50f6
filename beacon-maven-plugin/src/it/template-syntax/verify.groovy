import groovy.json.JsonSlurper

def report = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.json'))
def found = report.findings.findAll { it.id == 'template-syntax' }
assert found.size() == 1 : "expected one template-syntax finding but got ${report.findings}"
def finding = found[0]
assert finding.severity == 'error'
assert finding.file == 'src/main/prometheus/alerts.yml'
assert finding.line == 12
assert finding.column > 0

assert finding.message.contains('annotation summary of HighJobFailureRate is not a valid template') : finding.message
assert report.findings.size() == 1 : "expected only template-syntax but got ${report.findings}"
def sarif = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.sarif'))
assert sarif.runs[0].results[0].ruleId == 'template-syntax'
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert !log.contains('Exception in thread') && !log.contains('\tat org.projectbeacon')
return true
