# Sourced by the bench/ scripts (bash, from the repository root).

# bench_mvn ARGS...: Maven offline when the local repository has everything, else online.
bench_mvn() {
  mvn -B -o -q "$@" >/dev/null 2>&1 || mvn -B -q "$@" >&2
}

# bench_classpath: compiles the tests and prints the test classpath (target/classes, target/test-classes, the
# dependencies); the dependency list is cached in target/bench-classpath.txt until pom.xml changes.
bench_classpath() {
  bench_mvn test-compile
  [ -f target/bench-classpath.txt ] && [ target/bench-classpath.txt -nt pom.xml ] ||
    bench_mvn dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
  echo "target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
}
