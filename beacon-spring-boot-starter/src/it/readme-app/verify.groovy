// The README's application compiled from the README's own blocks and its test ran green.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
def report = new File(basedir, 'target/surefire-reports/TEST-app.ReadmeAppTest.xml').text
assert report =~ /<testsuite [^>]*tests="1"/
assert report =~ /<testsuite [^>]*errors="0"/
assert report =~ /<testsuite [^>]*skipped="0"/
assert report =~ /<testsuite [^>]*failures="0"/
