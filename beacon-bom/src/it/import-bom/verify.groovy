// The consumer compiled against versionless Beacon dependencies, with no Jdbi on its classpath:
// the BOM imported cleanly.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert new File(basedir, 'target/classes/consumer/App.class').isFile()
