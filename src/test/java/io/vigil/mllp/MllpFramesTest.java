package io.vigil.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MllpFramesTest {

    private static final String VT = "\u000b";
    private static final String END = "\u001c\r";

    @Test
    void shouldHandOutEveryWholeFrameOfOneRead() {
        MllpFrames frames = new MllpFrames(1 << 20);

        List<String> out = feed(frames, VT + "MSH|one" + END + VT + "MSH|two" + END + VT + "MSH|thr");

        assertThat(out).containsExactly("MSH|one", "MSH|two");
        assertThat(frames.partial()).isTrue();
        assertThat(feed(frames, "ee" + END)).containsExactly("MSH|three");
        assertThat(frames.partial()).isFalse();
    }

    @Test
    void shouldWaitForTheCarriageReturnThatComesWithTheNextRead() {
        MllpFrames frames = new MllpFrames(1 << 20);

        assertThat(feed(frames, VT + "MSH|a\u001c")).isEmpty();
        assertThat(feed(frames, "\r")).containsExactly("MSH|a");
    }

    @Test
    void shouldKeepAnEndByteThatIsNotFollowedByCarriageReturnAsContent() {
        MllpFrames frames = new MllpFrames(1 << 20);

        assertThat(feed(frames, VT + "MSH|a\u001cb" + END)).containsExactly("MSH|a\u001cb");
    }

    @Test
    void shouldCountAndDropBytesOutsideFrames() {
        MllpFrames frames = new MllpFrames(1 << 20);

        assertThat(feed(frames, "junk\r\n" + VT + "MSH|a" + END)).containsExactly("MSH|a");
        assertThat(frames.outside()).isEqualTo(6);
        assertThat(feed(frames, "more" + VT + "MSH|b" + END)).containsExactly("MSH|b");
        assertThat(frames.outside()).isEqualTo(10);
    }

    @Test
    void shouldDropAnUnfinishedFrameWhenItsSenderBeginsAgain() {
        MllpFrames frames = new MllpFrames(1 << 20);

        assertThat(feed(frames, VT + "MSH|cut" + VT + "MSH|whole" + END)).containsExactly("MSH|whole");
        assertThat(frames.outside()).isEqualTo(8);
    }

    @Test
    void shouldGrowForALargeFrameAndRefuseOneBeyondTheLimit() {
        MllpFrames frames = new MllpFrames(100_000);
        String large = "MSH|" + "x".repeat(90_000);

        assertThat(feed(frames, VT + large + END)).containsExactly(large);

        MllpFrames limited = new MllpFrames(50_000);
        ByteBuffer room;
        int read = 0;
        byte[] beyond = (VT + large).getBytes(StandardCharsets.ISO_8859_1);
        while ((room = limited.room()) != null && read < beyond.length) {
            int count = Math.min(room.remaining(), beyond.length - read);
            room.put(beyond, read, count);
            limited.filled(count);
            read += count;
            assertThat(limited.next()).isNull();
        }
        assertThat(room).isNull();
        assertThat(read).isLessThan(beyond.length);
    }

    /** Reads the text in pieces of at most the room given, and returns the frames handed out. */
    private static List<String> feed(MllpFrames frames, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        int read = 0;
        while (read < bytes.length) {
            ByteBuffer room = frames.room();
            assertThat(room).isNotNull();
            int count = Math.min(room.remaining(), bytes.length - read);
            room.put(bytes, read, count);
            frames.filled(count);
            read += count;
            for (byte[] frame; (frame = frames.next()) != null; ) {
                out.add(new String(frame, StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
