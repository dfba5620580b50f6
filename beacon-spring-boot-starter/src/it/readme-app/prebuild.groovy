// Copies the README's "fresh application" blocks into this project, so that the build compiles and
// tests exactly them: each fenced block after a marker <!-- readme-app: <target> --> goes to <target>
// (pom.xml#dependencies replaces the marker comment in pom.xml). Fails when a block is missing or
// the application is not under 30 lines of code.
def readme = new File(readmePath).text
def blocks = [:]
(readme =~ /(?s)<!-- readme-app: (\S+) -->\s*```\w*\n(.*?)```/).each { all, target, body -> blocks[target] = body }
def expected = ['pom.xml#dependencies', 'src/main/resources/application.properties', 'src/main/java/app/App.java'] as Set
assert blocks.keySet() == expected : "README readme-app blocks: ${blocks.keySet()}, expected ${expected}"

def pom = new File(basedir, 'pom.xml')
assert pom.text.contains('<!-- README dependencies -->')
pom.text = pom.text.replace('<!-- README dependencies -->', blocks['pom.xml#dependencies'])
['src/main/resources/application.properties', 'src/main/java/app/App.java'].each { target ->
    def file = new File(basedir, target)
    file.parentFile.mkdirs()
    file.text = blocks[target]
}

def code = blocks['src/main/java/app/App.java'].readLines()
        .findAll { it.trim() && !(it ==~ /\s*(package|import)\s.*/) }
assert code.size() < 30 : "the README's application has ${code.size()} lines of code, not under 30"
println "README application: ${code.size()} lines of code, ${blocks['src/main/resources/application.properties'].readLines().count { it.trim() }} properties"
return true
