package chat.client.desktop;

import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.JComponent;
import javax.swing.TransferHandler;

/**
 * Files dropped (or pasted) onto a conversation are sent to it. Takes the JDK's file list, and the
 * {@code text/uri-list} that some Linux file managers offer instead; folders are left out (a
 * folder is not a file to send). For a text component it wraps the component's own handler, so
 * that text still drags, copies and pastes as before and only a file list is taken over.
 */
final class FileDrop extends TransferHandler {
    private static final long serialVersionUID = 1L;

    private static final DataFlavor URI_LIST = uriList();

    private final transient Consumer<List<Path>> send;
    /** The component's own handler, for everything that is not a file list; null: none. */
    private final TransferHandler text;

    FileDrop(Consumer<List<Path>> send, TransferHandler text) {
        this.send = send;
        this.text = text;
    }

    /** Installs a drop on {@code c} that sends files, keeping its own handler for the rest. */
    static void install(JComponent c, Consumer<List<Path>> send) {
        c.setTransferHandler(new FileDrop(send, c.getTransferHandler()));
    }

    private static DataFlavor uriList() {
        try {
            return new DataFlavor("text/uri-list;class=java.lang.String");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasFiles(TransferSupport support) {
        return support.isDataFlavorSupported(DataFlavor.javaFileListFlavor) || support.isDataFlavorSupported(URI_LIST);
    }

    @Override
    public boolean canImport(TransferSupport support) {
        if (hasFiles(support)) {
            if (support.isDrop() && (support.getSourceDropActions() & COPY) != 0) {
                support.setDropAction(COPY);
            }
            return true;
        }
        return text != null && text.canImport(support);
    }

    @Override
    public boolean importData(TransferSupport support) {
        if (!hasFiles(support)) {
            return text != null && text.importData(support);
        }
        List<Path> files = files(support.getTransferable());
        if (files.isEmpty()) {
            return false;
        }
        send.accept(files);
        return true;
    }

    /** The regular files in a transfer, in its order. */
    static List<Path> files(Transferable t) {
        List<Path> out = new ArrayList<>();
        try {
            if (t.isDataFlavorSupported(DataFlavor.javaFileListFlavor)) {
                for (Object o : (List<?>) t.getTransferData(DataFlavor.javaFileListFlavor)) {
                    if (o instanceof File f) {
                        out.add(f.toPath());
                    }
                }
            } else if (t.isDataFlavorSupported(URI_LIST)) {
                for (String line : ((String) t.getTransferData(URI_LIST)).split("\r?\n")) {
                    if (line.startsWith("file:")) {
                        out.add(Path.of(URI.create(line.strip())));
                    }
                }
            }
        } catch (UnsupportedFlavorException | IOException | IllegalArgumentException e) {
            return List.of();
        }
        out.removeIf(p -> !Files.isRegularFile(p));
        return out;
    }

    // The rest is the wrapped handler's: copying and cutting text out of the input (a text area
    // does not drag by default, so exportAsDrag, which would ask this handler for the text, is not used).

    @Override
    public int getSourceActions(JComponent c) {
        return text == null ? NONE : text.getSourceActions(c);
    }

    @Override
    public void exportToClipboard(JComponent comp, java.awt.datatransfer.Clipboard clip, int action) {
        if (text != null) {
            text.exportToClipboard(comp, clip, action);
        }
    }
}
