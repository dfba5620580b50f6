import groovy.json.JsonSlurper

def report = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.json'))
def found = report.findings.findAll { it.id == 'runbook-without-alert' }
assert found.size() == 1 : "expected one runbook-without-alert finding but got ${report.findings}"
def finding = found[0]
assert finding.severity == 'error'
assert finding.file == 'docs/runbook.md'
assert finding.line == 15
assert finding.alert == 'RunnerDown'
assert report.findings.size() == 1 : "expected only runbook-without-alert but got ${report.findings}"
def sarif = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.sarif'))
assert sarif.runs[0].results[0].ruleId == 'runbook-without-alert'
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('beacon:verify-alerts: ')
assert !log.contains('Exception in thread') && !log.contains('\tat org.projectbeacon')
return true
