// The consumer compiled against versionless Beacon dependencies with no Jdbi on its classpath, and
// its test (guard, outbox on H2, health) ran green in a forked JVM: the BOM imports cleanly.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
def report = new File(basedir, 'target/surefire-reports/TEST-consumer.BomConsumerTest.xml').text
assert report =~ /<testsuite [^>]*tests="1"/
assert report =~ /<testsuite [^>]*errors="0"/
assert report =~ /<testsuite [^>]*skipped="0"/
assert report =~ /<testsuite [^>]*failures="0"/
