def log = new File(basedir, 'build.log').text
assert log.contains('rules: path ') && log.contains('src/nowhere does not exist')
assert !log.contains('\tat org.projectbeacon')
return true
