package chat.server;

import static chat.common.wire.LegacyRecord.CHAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.server.command.FriendsTest;
import chat.testing.Needs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS on the same port as plain text and the legacy records: each told apart by its first bytes,
 * all in the same rooms. Real sockets: the JDK's SSLSocket as the client, the server's reactor
 * with its SSLEngine on the other side.
 */
class TlsTest {

    /** A TLS client, a plain one and a legacy one chat in the lobby, and the two accounts in private. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void tlsPlainAndLegacyClientsHearEachOther(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TlsFixture.settings().dbUrl(db.url()).data(db.data()));
                var carol = LegacyClient.join(server.port(), "carol");
                var alice = TextClient.loggedIn(TlsFixture.client(server.port(), "alice"));
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            assertTrue(alice.call(new Request.Join("lobby")).ok());
            assertTrue(bob.call(new Request.Join("lobby")).ok());
            carol.read(); // alice came
            carol.read(); // bob came

            assertTrue(alice.call(new Request.Group("lobby", "a1", "加密的 hello")).ok());
            assertEquals("加密的 hello", bob.awaitPush("MESSAGE").fields().get(7));
            assertEquals(new LegacyRecord.Message("alice", "加密的 hello", CHAT), carol.read());

            assertTrue(bob.call(new Request.Group("lobby", "b1", "plain hi")).ok());
            assertEquals("plain hi", alice.awaitPush("MESSAGE").fields().get(7));
            assertEquals(new LegacyRecord.Message("bob", "plain hi", CHAT), carol.read());

            carol.say("legacy hi");
            assertEquals("legacy hi", alice.awaitPush("MESSAGE").fields().get(7));
            assertEquals("legacy hi", bob.awaitPush("MESSAGE").fields().get(7));

            FriendsTest.befriend(alice, bob);
            assertTrue(alice.call(new Request.Msg("bob", "m1", "private, over TLS then plain")).ok());
            assertEquals("private, over TLS then plain", bob.awaitPush("MESSAGE").fields().get(7));
            assertTrue(bob.call(new Request.Msg("alice", "m2", "and back")).ok());
            assertEquals("and back", alice.awaitPush("MESSAGE").fields().get(7));
        }
    }

    /** The article's own C client in the lobby beside a TLS account client: each hears the other. */
    @Test
    void theArticlesClientAndATlsClientShareTheLobby(@TempDir Path dir) throws Exception {
        Path exe = Needs.compileSeedC("client_app.c", dir);
        try (var server = TestServer.start(TlsFixture.settings());
                var alice = TextClient.loggedIn(TlsFixture.client(server.port(), "alice"))) {
            assertTrue(alice.call(new Request.Join("lobby")).ok());
            try (var carol = new SeedClient(exe, server.port(), "carol")) {
                alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().get(5).equals("~carol"));
                assertTrue(alice.call(new Request.Group("lobby", "a1", "over TLS")).ok());
                assertEquals("alice:over TLS", nextChat(carol));
                carol.type("纯文本 from C");
                assertEquals("纯文本 from C", alice.awaitPush(l -> l.command().equals("MESSAGE")
                        && l.fields().get(3).equals("~carol")).fields().get(7));
            }
        }
    }

    /** The C client's next line that is a chat line ({@code name:text}), past its notices. */
    private static String nextChat(SeedClient c) throws InterruptedException {
        while (true) {
            String line = c.nextLine();
            if (line == null || line.contains(":")) {
                return line;
            }
        }
    }

    /**
     * A fan-out of many messages across a mix of plain and TLS clients: every one gets every
     * message, in order (the shared plain bytes are wrapped per TLS connection at flush).
     */
    @Test
    void aBurstReachesPlainAndTlsClientsAlike() throws Exception {
        try (var server = TestServer.start(TlsFixture.settings());
                var sender = TextClient.loggedIn(server.port(), "sender");
                var t1 = TextClient.loggedIn(TlsFixture.client(server.port(), "t1"));
                var t2 = TextClient.loggedIn(TlsFixture.client(server.port(), "t2"));
                var p1 = TextClient.loggedIn(server.port(), "p1")) {
            for (TextClient c : new TextClient[] {sender, t1, t2, p1}) {
                assertTrue(c.call(new Request.Join("lobby")).ok());
            }
            String big = "x".repeat(9000); // over two 4 KiB chunks: a record spans chunks
            for (int i = 0; i < 300; i++) {
                sender.send(new Request.Group("lobby", "c" + i, i + ":" + (i % 50 == 0 ? big : "m")));
            }
            for (TextClient c : new TextClient[] {t1, t2, p1}) {
                for (int i = 0; i < 300; i++) {
                    String text = c.awaitPush(l -> l.command().equals("MESSAGE") && l.fields().get(3).equals("sender"))
                            .fields().get(7);
                    assertEquals(i + ":" + (i % 50 == 0 ? big : "m"), text, c.name);
                }
            }
        }
    }

    /** --require-tls: secrets over plain text are refused with tls-required; over TLS they work; legacy stays open. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void requireTlsRefusesPasswordsInPlainText(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TlsFixture.settings().requireTls(true).dbUrl(db.url()).data(db.data()));
                var plain = new TextClient(server.port(), "alice")) {
            assertEquals("tls-required", plain.call(new Request.Register("alice", TextClient.password("alice"))).code());
            assertEquals("tls-required", plain.call(new Request.Login("alice", TextClient.password("alice"))).code());
            assertEquals("tls-required", plain.call(new Request.Resume("alice", "a-token")).code());
            assertTrue(plain.call(new Request.Ping()).ok(), "what carries no secret still works");
            var hello = plain.call(new Request.Hello("test", "1.4"));
            assertTrue(hello.ok() && List.of(hello.field(3).split(",")).containsAll(List.of("tls", "tls-required")),
                    hello.toString());
            try (var tls = TextClient.loggedIn(TlsFixture.client(server.port(), "alice"))) {
                assertTrue(tls.call(new Request.Passwd(TextClient.password("alice"), "a new password 1")).ok());
            }
            try (var carol = LegacyClient.join(server.port(), "carol"); var dave = LegacyClient.join(server.port(), "dave")) {
                carol.read(); // dave came
                dave.say("the lobby is open");
                assertEquals(new LegacyRecord.Message("~dave", "the lobby is open", CHAT), carol.read());
            }
        }
    }

    /** 0x16 0x03 and then nothing: closed (an alert at most) after the handshake timeout, well before the identify timeout. */
    @Test
    void aHandshakeThatNeverEndsIsClosed() throws Exception {
        try (var server = TestServer.start(TlsFixture.settings().tlsHandshakeTimeout(Duration.ofSeconds(1))
                        .identifyTimeout(Duration.ofSeconds(60)));
                var s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(new byte[] {0x16, 0x03});
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            byte[] last = s.getInputStream().readAllBytes(); // until the close
            assertTrue(last.length == 0 || last[0] == 0x15, "nothing, or an alert: no handshake record");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(9).toNanos(), "by the handshake timeout");
        }
    }

    /** A TLS 1.1 ClientHello is answered with an alert and the close. */
    @Test
    void tls11IsRefused() throws Exception {
        try (var server = TestServer.start(TlsFixture.settings());
                var s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(clientHello(0x02));
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            assertTrue(all.length >= 7, "an alert record");
            assertEquals(0x15, all[0], "an alert, not a ServerHello");
            assertEquals(2, all[5], "fatal");
        }
        // And the same server still speaks TLS 1.2 when asked for it alone.
        try (var server = TestServer.start(TlsFixture.settings())) {
            var socket = (SSLSocket) TlsFixture.trusting().getSocketFactory().createSocket("127.0.0.1", server.port());
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertEquals("TLSv1.2", socket.getSession().getProtocol());
            socket.close();
        }
    }

    /** A server without a certificate closes a TLS connection instead of taking it for a legacy record. */
    @Test
    void withoutACertificateATlsClientIsClosed() throws Exception {
        try (var server = TestServer.start(TestServer.settings());
                var carol = LegacyClient.join(server.port(), "carol")) {
            var socket = (SSLSocket) TlsFixture.trusting().getSocketFactory().createSocket("127.0.0.1", server.port());
            socket.setSoTimeout(10_000);
            assertThrows(IOException.class, socket::startHandshake);
            socket.close();
            assertFalse(carol.awaitClosed(300), "carol still there, and saw no record of it");
        }
    }

    /** An EC key (certbot's default since 2.0) works as the RSA one does. */
    @Test
    void anEcCertificateWorks() throws Exception {
        try (var server = TestServer.start(TestServer.settings().tlsCert(TlsFixture.cert("ec")).tlsKey(TlsFixture.key("ec")));
                var alice = TextClient.loggedIn(TlsFixture.client(server.port(), "alice"))) {
            assertTrue(alice.call(new Request.Ping()).ok());
        }
    }

    /** A file up and down over TLS data connections on the same port, byte for byte. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFileGoesUpAndDownOverTls(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TlsFixture.settings().dbUrl(db.url()).data(db.data()));
                var a = TextClient.loggedIn(TlsFixture.client(server.port(), "alice"));
                var b = TextClient.loggedIn(TlsFixture.client(server.port(), "bob"))) {
            FriendsTest.befriend(a, b);
            byte[] bytes = new byte[3 * 256 * 1024 + 17];
            new Random(1).nextBytes(bytes);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            var sent = a.call(new Request.SendFile("bob", "f1", "报告.pdf", bytes.length, sha));
            assertTrue(sent.ok(), sent.toString());
            long fileId = Long.parseLong(sent.field(2));
            try (var up = TlsFixture.connect(server.port())) {
                up.getOutputStream().write(("UPLOAD:" + sent.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
                up.getOutputStream().write(bytes);
                up.getOutputStream().flush();
                assertEquals("UPLOAD:true:" + fileId, readLine(up.getInputStream()));
            }
            assertEquals(Line.of(null, "FILE_STATE", Long.toString(fileId), "ready"), b.awaitPush("FILE_STATE"));
            var get = b.call(new Request.FileGet(fileId));
            try (var down = TlsFixture.connect(server.port())) {
                down.getOutputStream().write(("DOWNLOAD:" + get.field(2) + ":0\n").getBytes(StandardCharsets.UTF_8));
                InputStream in = down.getInputStream();
                assertEquals("DOWNLOAD:true:" + bytes.length, readLine(in));
                assertArrayEquals(bytes, in.readNBytes(bytes.length));
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * A minimal ClientHello record offering only protocol {@code 3.minor} (0x02: TLS 1.1) and two
     * CBC suites of that time, with no extensions, written by hand so that the JDK client's own
     * refusal of old protocols does not stop the test before the server is asked.
     */
    private static byte[] clientHello(int minor) {
        var body = new ByteArrayOutputStream();
        body.write(3);
        body.write(minor);
        byte[] random = new byte[32];
        new Random(7).nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        body.writeBytes(new byte[] {0, 4, 0x00, 0x2f, 0x00, 0x35}); // AES_128_CBC_SHA, AES_256_CBC_SHA
        body.writeBytes(new byte[] {1, 0}); // compression: null
        byte[] b = body.toByteArray();
        var hs = new ByteArrayOutputStream();
        hs.write(1); // ClientHello
        hs.write(0);
        hs.write(b.length >> 8);
        hs.write(b.length & 0xff);
        hs.writeBytes(b);
        byte[] h = hs.toByteArray();
        var record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 3, 1, (byte) (h.length >> 8), (byte) h.length});
        record.writeBytes(h);
        return record.toByteArray();
    }
}
