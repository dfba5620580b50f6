// The consumer compiled and ran against versionless Beacon dependencies (the BOM imported cleanly),
// with no Jdbi on its classpath.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('guarded')
assert log.contains('true')
