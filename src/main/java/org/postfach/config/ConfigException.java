package org.postfach.config;

import java.util.List;

/** Every problem found in the configuration, one line each (SPEC §9: exit code 2, no stack trace). */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
