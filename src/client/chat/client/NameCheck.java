package chat.client;

/** What the server says of a name someone wants to register ({@link ChatClient#checkName}). */
public enum NameCheck {
    /** No account has it: REGISTER would take it (unless someone else is quicker). */
    FREE,
    /** An account has it, in this or another spelling ({@code Bob}, {@code ｂｏｂ} are {@code bob}). */
    TAKEN,
    /** The server cannot tell (an older one, without CHECK_NAME): REGISTER's {@code name-taken} will. */
    UNKNOWN
}
