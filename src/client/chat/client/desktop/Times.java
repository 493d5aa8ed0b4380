package chat.client.desktop;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

/** How times read in the list and the conversation: the clock today, the day before that. */
public final class Times {

    private Times() {}

    /** Replaced in tests and screenshots, so that "today" is the same day every run. */
    static volatile java.time.Clock clock = java.time.Clock.systemDefaultZone();

    public static LocalDate day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(zone()).toLocalDate();
    }

    private static ZoneId zone() {
        return clock.getZone();
    }

    public static LocalDate today() {
        return LocalDate.now(clock);
    }

    /** 14:05. */
    public static String clock(long millis) {
        return DateTimeFormatter.ofPattern("HH:mm").format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), zone()));
    }

    /** The conversation list's time: the clock today, "Yesterday", a weekday this week, else a short date. */
    public static String shortly(long millis) {
        if (millis <= 0) {
            return "";
        }
        LocalDate d = day(millis);
        LocalDate today = today();
        if (d.equals(today)) {
            return clock(millis);
        }
        if (d.equals(today.minusDays(1))) {
            return Text.get("conv.yesterday");
        }
        if (d.isAfter(today.minusDays(7))) {
            return DateTimeFormatter.ofPattern("EEE", Text.locale()).format(d);
        }
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(Text.locale()).format(d);
    }

    /** A day separator's words. */
    public static String dayLabel(LocalDate d) {
        LocalDate today = today();
        if (d.equals(today)) {
            return Text.get("conv.today");
        }
        if (d.equals(today.minusDays(1))) {
            return Text.get("conv.yesterday");
        }
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Text.locale()).format(d);
    }

    /** For tests and screenshots: "now" is this instant from here on. */
    public static void fix(java.time.Clock c) {
        clock = c;
    }
}
