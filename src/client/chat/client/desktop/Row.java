package chat.client.desktop;

import chat.client.desktop.model.ChatMessage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** One line of a conversation view: a day separator, a message, or the note that there is nothing older. */
sealed interface Row {

    record Day(LocalDate day) implements Row {}

    /** @param first whether it starts a run of one sender's messages (the sender's name shows once) */
    record Msg(ChatMessage message, boolean mine, boolean first) implements Row {}

    record Start() implements Row {}

    /** The rows for messages in order: a separator before each new day, runs of one sender grouped. */
    static List<Row> of(List<ChatMessage> messages, String me, boolean complete) {
        List<Row> rows = new ArrayList<>(messages.size() + 8);
        if (complete) {
            rows.add(new Start());
        }
        LocalDate day = null;
        String last = null;
        for (ChatMessage m : messages) {
            LocalDate d = Times.day(m.time());
            if (!d.equals(day)) {
                rows.add(new Day(d));
                day = d;
                last = null;
            }
            rows.add(new Msg(m, m.from().equals(me), !m.from().equals(last)));
            last = m.from();
        }
        return rows;
    }
}
