/**
 * Parsing of Prometheus alert templates (Go {@code text/template} with the functions Prometheus
 * defines), as {@code promtool check rules} does before a rule file is loaded.
 */
package org.projectbeacon.maven.template;
