package io.vigil.rules;

import java.util.Locale;

/** NEWS2 clinical risk bands (RCP 2017, Charts 2 and 4). */
public enum News2Band {
    LOW(1), LOW_MEDIUM(2), MEDIUM(3), HIGH(4);

    private final int rank;

    News2Band(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * 7 or more: high; 5-6: medium; a 3 in any single parameter (total under 5): {@code singleThree}, by default
     * low-medium (RCP Chart 4 gives it its own row; some sources treat it as medium or high); otherwise low.
     */
    public static News2Band of(int total, boolean anySingleThree, News2Band singleThree) {
        News2Band band = total >= 7 ? HIGH : total >= 5 ? MEDIUM : LOW;
        if (anySingleThree && singleThree.rank > band.rank) {
            band = singleThree;
        }
        return band;
    }

    public static News2Band fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
