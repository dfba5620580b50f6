import groovy.json.JsonSlurper

def report = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.json'))
assert report.findings.isEmpty() : "expected no findings but got ${report.findings}"
assert report.summary.alerts == 2
assert report.summary.runbookSections == 2
assert report.summary.errors == 0
assert report.summary.metricsExported > 20
def sarif = new JsonSlurper().parse(new File(basedir, 'target/beacon/verify-alerts.sarif'))
assert sarif.version == '2.1.0'
assert sarif.runs[0].results.isEmpty()
def log = new File(basedir, 'build.log').text
assert log.contains('beacon:verify-alerts: 2 alerts, 2 runbook sections')
return true
