package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.command.Dispatcher;
import chat.server.text.TextProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The text protocol's framing and errors, on the same port as the legacy records. */
class TextProtocolTest {

    private TestServer server;
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    @BeforeEach
    void connect() throws Exception {
        server = TestServer.start();
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
        server.close();
    }

    private void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void pingIsAnsweredAndCrLfIsAccepted() throws Exception {
        send("PING\n");
        assertEquals("PING:true", in.readLine());
        send("PING\r\n");
        assertEquals("PING:true", in.readLine());
    }

    @Test
    void linesSplitAnywhereAndMergedAreFramed() throws Exception {
        send("PI");
        Thread.sleep(50);
        send("NG\nPING\nPI");
        Thread.sleep(50);
        send("NG\n");
        assertEquals("PING:true", in.readLine());
        assertEquals("PING:true", in.readLine());
        assertEquals("PING:true", in.readLine());
    }

    @Test
    void unknownCommandsGetAnErrorAndTheConnectionStays() throws Exception {
        send("FROBNICATE:x\n");
        assertEquals("ERR:unknown-command:unknown command FROBNICATE", in.readLine());
        send("你好\n");
        assertEquals("ERR:unknown-command:unknown command 你好", in.readLine());
        send("PING\n");
        assertEquals("PING:true", in.readLine());
    }

    @Test
    void aLineOverTheCapGetsAnErrorThenAClose() throws Exception {
        byte[] big = new byte[TextProtocol.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        out.write("PING\n".getBytes(StandardCharsets.UTF_8));
        out.write(big);
        out.flush();
        assertEquals("PING:true", in.readLine());
        String error = in.readLine();
        assertTrue(error.startsWith("ERR:line-too-long:"), error);
        assertNull(in.readLine(), "closed after the error");
    }

    @Test
    void quitIsAnsweredThenClosed() throws Exception {
        send("QUIT\n");
        assertEquals("QUIT:true", in.readLine());
        assertNull(in.readLine());
    }

    @Test
    void quitWaitsForTheRepliesOfTheRequestsBeforeIt() throws Exception {
        // REGISTER waits for a password hash and the database; the lines behind it wait their
        // turn, QUIT does not cut its reply off, and lines after QUIT are not read.
        send("#r:RESIGER:piper:password1\nFRIENDS\n#q:QUIT\nPING\n");
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
        }
        assertEquals(List.of("#r:RESIGER:true:piper", "FRIENDS:false:not-logged-in:LOGIN first", "#q:QUIT:true"), lines);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        // LOGIN right behind the REGISTER of its account: it waits for the account to exist.
        send("#1:RESIGER:pip:password1\n#2:LOGIN:pip:password1\n#3:FRIENDS\n#4:PING\n#5:QUIT\n");
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
        }
        assertEquals("#1:RESIGER:true:pip", lines.get(0));
        assertTrue(lines.get(1).startsWith("#2:LOGIN:true:"), lines.toString());
        List<String> tagged = lines.stream().filter(l -> l.startsWith("#")).toList();
        assertEquals(List.of("#1", "#2", "#3", "#4", "#5"),
                tagged.stream().map(l -> l.substring(0, 2)).distinct().toList(), "replies in request order");
        assertEquals("#5:QUIT:true", lines.get(lines.size() - 1));
    }

    @Test
    void helloIsAnsweredBeforeLoginWithTheVersionAndCapabilities() throws Exception {
        send("#h:HELLO:chat-test:1.1\n");
        assertEquals("#h:HELLO:true:" + Dispatcher.SERVER_VERSION + ":resume,multi-device,contacts,events,files,check-name,retry-after,admin,invitations,blocks", in.readLine());
        send("HELLO::1.1\n");
        assertTrue(in.readLine().startsWith("HELLO:false:bad-request:"), "a client names itself");
        send("HELLO:" + "x".repeat(65) + ":1.1\n");
        assertTrue(in.readLine().startsWith("HELLO:false:bad-request:"), "in at most 64 characters");
    }

    @Test
    void extraTrailingFieldsFromANewerClientAreIgnored() throws Exception {
        send("#1:PING:from-the-future\n");
        assertEquals("#1:PING:true", in.readLine());
        send("#2:HELLO:chat-test:1.2:more:fields\n");
        assertTrue(in.readLine().startsWith("#2:HELLO:true:"));
        send("#3:RESIGER:futura:password1:a-newer-field\n");
        assertEquals("#3:RESIGER:true:futura", in.readLine());
        send("#4:LOGIN:futura:password1:phone-1:a-newer-field\n");
        String login = in.readLine();
        assertTrue(login.matches("#4:LOGIN:true:\\d+:futura:phone-1:[0-9a-f]{64}"), login);
        assertEquals("SYNCED", in.readLine());
        send("#5:GROUPS:and-more\n");
        assertEquals("#5:GROUPS:true:0", in.readLine());
    }

    /** STATS is an admin's (1.4, see AdminTest): before any login it is refused like any command. */
    @Test
    void statsBeforeLoginIsRefused() throws Exception {
        send("STATS\n");
        assertTrue(in.readLine().startsWith("STATS:false:not-logged-in:"));
    }
}
