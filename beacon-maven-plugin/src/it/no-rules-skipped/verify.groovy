def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('beacon:verify-alerts skipped: no rule files')
assert !new File(basedir, 'target/beacon/verify-alerts.json').exists()
return true
