package chat.client.term;

import static java.nio.charset.StandardCharsets.UTF_8;

import chat.client.ServerAddress;
import chat.client.Timings;
import chat.client.Texts;
import chat.common.text.Utf8;
import chat.common.wire.LegacyRecord;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code chat-client HOST PORT NAME}: the article's {@code ./app <server ip> <port> <name>}, a
 * line-based group chat over 151-byte records ({@link LegacyChat}). {@code chat-client HOST PORT}:
 * an account session over the text protocol ({@link AccountShell}), with line editing on a
 * terminal and plain lines when the input is a pipe (scripts). {@code --server HOST:PORT,HOST:PORT}
 * instead of {@code HOST PORT}: the nodes of a cluster, the first that answers taken, the next when
 * it goes ({@link chat.client.ChatClient.Config}).
 *
 * <p>Terminal text and arguments are UTF-8 whatever the platform default, as the article's C
 * client's bytes are on Linux. Texts are Chinese or English, from {@code --lang} or else the
 * environment (LC_ALL, LC_MESSAGES, LANG).
 */
public final class Client {

    /** Exit statuses, as the JDK's jwebserver names them. */
    enum Exit {
        /** Input ended or the user typed /quit; also --help. */
        OK(0),
        /** Unknown host or no connection. */
        CONNECT_FAILED(1),
        USAGE(2),
        /**
         * The server closed the connection. The C client then keeps waiting on stdin; we exit,
         * and with a status of our own so that a script can tell this from leaving.
         */
        SERVER_GONE(3);

        final int status;

        Exit(int status) {
            this.status = status;
        }
    }

    /** The parsed command line; {@code name} is null in account mode. */
    record Options(List<ServerAddress> servers, String name, Path data, boolean tls) {
        Options(String host, int port, String name, Path data, boolean tls) {
            this(List.of(new ServerAddress(host, port)), name, data, tls);
        }

        String host() {
            return servers.get(0).host();
        }

        int port() {
            return servers.get(0).port();
        }
    }

    /** Where account mode keeps its local history unless --data says otherwise. */
    static Path defaultData() {
        return Path.of(System.getProperty("user.home"), ".chat-client");
    }

    /** A command-line mistake: the message key and its arguments ({@code null} key: usage only). */
    static final class UsageError extends Exception {
        final String key;
        final transient Object[] args;

        UsageError(String key, Object... args) {
            super(key, null, false, false);
            this.key = key;
            this.args = args;
        }
    }

    /** The languages of the texts: {@code --lang} takes these (with a region or not: zh-CN). */
    static final List<String> LANGUAGES = List.of("en", "zh");

    private Client() {}

    public static void main(String[] args) {
        var out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        var err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
        var in = new InputStreamReader(System.in, UTF_8);
        // Java 17: a console exists when both stdin and stdout are a terminal
        System.exit(run(Utf8Args.of(args), in, out, err, System.console() != null).status);
    }

    static Exit run(String[] args, Reader in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, false);
    }

    /** {@code terminal}: account mode edits lines with JLine rather than reading {@code in}. */
    static Exit run(String[] args, Reader in, PrintStream out, PrintStream err, boolean terminal) {
        Locale locale = locale(args);
        String lang = langArgument(args);
        if (lang != null && !LANGUAGES.contains(locale.getLanguage())) {
            // the environment's language without texts shows English; one asked for is an error
            Locale env = environmentLocale(System.getenv());
            err.println(Texts.of(env != null ? env : Locale.getDefault()).get("error.lang", lang,
                    String.join(", ", LANGUAGES)));
            return Exit.USAGE;
        }
        Texts messages = Texts.of(locale);
        Options options;
        try {
            options = parse(args);
        } catch (UsageError e) {
            if (e.key != null) {
                err.println(messages.get(e.key, e.args));
            }
            err.println(messages.get("usage"));
            return Exit.USAGE;
        }
        if (options == null) {
            out.println(messages.get("help"));
            return Exit.OK;
        }
        if (options.name() == null) {
            return account(options, in, out, err, terminal, messages);
        }
        byte[] cut = Utf8.encodeCut(options.name(), LegacyRecord.MAX_NAME_BYTES);
        if (cut.length < options.name().getBytes(UTF_8).length) {
            err.println(messages.get("warning.nameCut", new String(cut, UTF_8)));
        }
        Console console = console(in, out, terminal);
        var chat = new LegacyChat(options.servers(), options.name(), console, messages);
        try (console) { // a terminal gets its settings back
            return chat.run();
        } catch (IOException e) {
            if (options.servers().size() > 1) {
                err.println(messages.get("error.connectList", ServerAddress.format(options.servers()), reason(e)));
            } else if (e instanceof UnknownHostException) {
                err.println(messages.get("error.unknownHost", options.host()));
            } else {
                err.println(messages.get("error.connect", options.host(), Integer.toString(options.port()), reason(e)));
            }
        }
        return Exit.CONNECT_FAILED;
    }

    private static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static Exit account(Options options, Reader in, PrintStream out, PrintStream err, boolean terminal,
            Texts messages) {
        // A name no server resolves is a typo; one node of several that does not resolve now may later.
        if (options.servers().stream().allMatch(s -> new InetSocketAddress(s.host(), s.port()).isUnresolved())) {
            err.println(messages.get("error.unknownHost", options.host()));
            return Exit.CONNECT_FAILED;
        }
        return new AccountShell(options.servers(), options.data(), Timings.DEFAULT,
                console(in, out, terminal), messages, Clock.systemDefaultZone(), options.tls()).run();
    }

    /** JLine on a terminal (lines that arrive print above the one being typed), else plain lines. */
    private static Console console(Reader in, PrintStream out, boolean terminal) {
        if (terminal) {
            try {
                return JLineConsole.open();
            } catch (IOException | RuntimeException e) {
                // no usable terminal after all: plain lines still work
            }
        }
        return new PlainConsole(in, out);
    }

    /**
     * Parses the command line; {@code null} means help was asked for. Options may come anywhere;
     * after {@code --} everything is positional (a NAME that starts with a dash).
     */
    static Options parse(String[] args) throws UsageError {
        var positional = new ArrayList<String>();
        Path data = null;
        List<ServerAddress> servers = null;
        boolean tls = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--lang" -> {
                    if (++i == args.length) {
                        throw new UsageError("error.optionValue", arg);
                    }
                }
                case "--data" -> {
                    if (++i == args.length || args[i].isEmpty()) {
                        throw new UsageError("error.optionValue", arg);
                    }
                    data = Path.of(args[i]);
                }
                case "--server" -> {
                    if (++i == args.length || args[i].isEmpty()) {
                        throw new UsageError("error.optionValue", arg);
                    }
                    servers = servers(args[i]);
                }
                case "--tls" -> tls = true;
                case "--" -> optionsEnded = true;
                default -> throw new UsageError("error.option", arg);
            }
        }
        if (servers != null) {
            return switch (positional.size()) {
                case 0 -> new Options(servers, null, data != null ? data : defaultData(), tls);
                case 1 -> {
                    if (tls) {
                        throw new UsageError("error.tlsLegacy");
                    }
                    yield new Options(servers, name(positional.get(0)), null, false);
                }
                default -> throw new UsageError("error.serverTwice");
            };
        }
        return switch (positional.size()) {
            case 3 -> {
                if (tls) {
                    throw new UsageError("error.tlsLegacy");
                }
                yield new Options(positional.get(0), port(positional.get(1)), name(positional.get(2)), null, false);
            }
            case 2 -> new Options(positional.get(0), port(positional.get(1)), null, data != null ? data : defaultData(), tls);
            default -> throw new UsageError(null);
        };
    }

    /** The value of --server: entries {@code HOST:PORT} ({@code [::1]:8899}) separated by commas. */
    private static List<ServerAddress> servers(String arg) throws UsageError {
        for (String entry : arg.split(",", -1)) {
            try {
                ServerAddress.parse(entry.strip(), 0);
            } catch (IllegalArgumentException e) {
                throw new UsageError("error.server", entry.strip());
            }
        }
        return ServerAddress.list(arg, 0);
    }

    private static int port(String arg) throws UsageError {
        try {
            int port = Integer.parseInt(arg);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, as for a number out of range
        }
        throw new UsageError("error.port", arg);
    }

    /**
     * An empty name would show as {@code :text}; a line break would end the name on the other
     * side's terminal, and the server takes a connection whose first bytes hold a newline before
     * any NUL for a text-protocol client.
     */
    private static String name(String arg) throws UsageError {
        if (arg.isEmpty() || arg.indexOf('\n') >= 0 || arg.indexOf('\r') >= 0) {
            throw new UsageError("error.name");
        }
        return arg;
    }

    /**
     * The locale for messages: {@code --lang TAG} (en, zh, zh-CN, zh_CN ...) if given, else the
     * environment's, else the JVM default. A language without texts ({@code fr}) from the
     * environment shows English; from {@code --lang} it is an error, said by {@link #run}. Looked for before parsing so that parse errors come in
     * the chosen language too.
     */
    static Locale locale(String[] args) {
        String lang = langArgument(args);
        if (lang != null) {
            return Locale.forLanguageTag(lang.replace('_', '-'));
        }
        Locale env = environmentLocale(System.getenv());
        return env != null ? env : Locale.getDefault();
    }

    /** The value of {@code --lang}, or {@code null} when there is none. */
    private static String langArgument(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--lang")) {
                return args[i + 1];
            }
        }
        return null;
    }

    /**
     * The locale POSIX programs would use for messages: the first set of LC_ALL, LC_MESSAGES and
     * LANG, such as {@code zh_CN.UTF-8}; {@code null} when none is set. Read here rather than left
     * to the JVM, which falls back to English when the system lacks the named locale (the JDK asks
     * the C library, which knows only the locales that were generated, and many servers and
     * containers have none but C.UTF-8); the C client prints Chinese regardless.
     */
    static Locale environmentLocale(Map<String, String> env) {
        for (String name : List.of("LC_ALL", "LC_MESSAGES", "LANG")) {
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            String tag = value.split("[.@]", 2)[0]; // zh_CN.UTF-8@whatever -> zh_CN
            if (tag.equals("C") || tag.equals("POSIX")) {
                return Locale.ENGLISH;
            }
            return Locale.forLanguageTag(tag.replace('_', '-'));
        }
        return null;
    }
}
