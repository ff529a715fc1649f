package io.vigil.mapping;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

/**
 * A JSONata expression of a mapping file, compiled once when the file is loaded, with where it was written.
 * Evaluation always runs in a fresh frame of bindings ({@code $payload}, {@code $source}, {@code $device},
 * {@code $patient}), so concurrent evaluations share nothing.
 */
public final class Expression {

    private final String text;
    private final String where;
    private final Jsonata compiled;

    private Expression(String text, String where, Jsonata compiled) {
        this.text = text;
        this.where = where;
        this.compiled = compiled;
    }

    /** @throws IllegalArgumentException with JSONata's message when the text does not compile */
    static Expression compile(String text, String where) {
        try {
            Jsonata compiled = Jsonata.jsonata(text);
            // inputs are maps, lists, strings, numbers and booleans from Jackson or the CSV reader: valid JSON
            // by construction, so the per-evaluation walk over the whole input is skipped
            compiled.setValidateInput(false);
            // results are read by Vigil, not serialised: a JSON null literal is turned into Java null below,
            // instead of copying every list and object the expression returns
            compiled.setOutputConvertNulls(false);
            return new Expression(text, where, compiled);
        } catch (JException e) {
            throw new IllegalArgumentException("JSONata expression '" + text + "' does not compile: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("JSONata expression '" + text + "' does not compile: " + e);
        }
    }

    Object evaluate(Object input, Jsonata.Frame bindings) {
        try {
            Object result = compiled.evaluate(input, bindings);
            return result == Jsonata.NULL_VALUE ? null : result;
        } catch (JException e) {
            throw new MappingFailure(where + " (" + text + "): " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MappingFailure(where + " (" + text + "): " + e);
        }
    }

    Jsonata.Frame newFrame() {
        return compiled.createFrame();
    }

    public String text() {
        return text;
    }

    /** file:line of the expression */
    public String where() {
        return where;
    }

    /** A payload or record the mapping could not read: the reason names the expression and its file and line. */
    static final class MappingFailure extends RuntimeException {
        MappingFailure(String message) {
            super(message, null, false, false);
        }
    }
}
