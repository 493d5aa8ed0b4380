package chat.client.desktop;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.swing.SwingUtilities;

/**
 * Small pictures of the image files a conversation shows (png, jpg, gif: its first frame), made
 * off the event thread: reading and scaling a photo takes tens of milliseconds, which would stall
 * scrolling. {@link #get} answers from the cache at once, or starts the work and says null; when
 * it is done {@code ready} runs on the EDT (the panel measures its rows again). A large image is
 * read subsampled, so that a 50-megapixel photo never sits whole in memory.
 *
 * <p>Used on the EDT only, except {@link #load}, which runs on the one loader thread.
 */
final class Thumbnails {

    /** Images held per panel: the ones on screen and a few around them. */
    private static final int KEEP = 48;
    private static final ExecutorService LOADER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "desktop-thumbnails");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });

    private final Map<Path, Optional<BufferedImage>> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Path> loading = new HashSet<>();
    private final Runnable ready;

    Thumbnails(Runnable ready) {
        this.ready = ready;
    }

    /** The thumbnail of {@code file}, or null while it is being made (or when it is no image we can read). */
    BufferedImage get(Path file) {
        Optional<BufferedImage> hit = cache.get(file);
        if (hit != null) {
            return hit.orElse(null);
        }
        if (loading.add(file)) {
            LOADER.execute(() -> {
                BufferedImage image = load(file, FileBubble.WIDTH, FileBubble.THUMB_MAX_H);
                SwingUtilities.invokeLater(() -> {
                    loading.remove(file);
                    cache.put(file, Optional.ofNullable(image));
                    trim();
                    if (image != null) {
                        ready.run();
                    }
                });
            });
        }
        return null;
    }

    private void trim() {
        Iterator<Path> oldest = cache.keySet().iterator();
        while (cache.size() > KEEP && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /** {@code file} scaled to fit {@code maxW} x {@code maxH} (never up), or null when it cannot be read. */
    static BufferedImage load(Path file, int maxW, int maxH) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                ImageReadParam param = reader.getDefaultReadParam();
                // Read every n-th pixel when the image is more than twice the thumbnail: what is
                // dropped would be scaled away anyway, and memory stays small.
                int step = Math.max(1, Math.min(w / (2 * maxW), h / (2 * maxH)));
                param.setSourceSubsampling(step, step, 0, 0);
                return scale(reader.read(0, param), maxW, maxH);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // a broken or unusual file shows as a plain file bubble
        }
    }

    private static BufferedImage scale(BufferedImage src, int maxW, int maxH) {
        double f = Math.min(1, Math.min((double) maxW / src.getWidth(), (double) maxH / src.getHeight()));
        int w = Math.max(1, (int) Math.round(src.getWidth() * f));
        int h = Math.max(1, (int) Math.round(src.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
