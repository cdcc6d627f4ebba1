package org.auditlog.storage.internal;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of an action text, as the search language compares them ({@code deleted}, {@code "was invited"}):
 * the text in Unicode NFKC (full-width letters become ASCII ones), in lower case, cut into runs of letters and
 * digits. A run in a script written without spaces (Han, Hiragana, Katakana, Hangul) becomes each pair of
 * neighbouring characters ({@code 課題を追加} gives 課題, 題を, を追, 追加), so that a word of such a text is found
 * as a phrase of its pairs; a run of one such character is itself a word.
 *
 * <p>A phrase matches when its words appear in the text's words consecutively and in order.
 */
final class Words {
    /** The most words of one text that are indexed; an action holds at most 1,024 characters. */
    static final int MAX_WORDS = 1024;

    private Words() {}

    /** The words of {@code text}, in order, repeats included. */
    static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String s = ascii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder word = new StringBuilder();
        int runStart = -1; // start of the current run of bigram characters, or -1
        int i = 0;
        while (i < s.length() && out.size() < MAX_WORDS) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (!Character.isLetterOrDigit(cp) && !isJoinedMark(cp)) {
                flush(word, out);
                flushPairs(s, runStart, i, out);
                runStart = -1;
            } else if (paired(cp)) {
                flush(word, out);
                if (runStart < 0) {
                    runStart = i;
                }
            } else {
                flushPairs(s, runStart, i, out);
                runStart = -1;
                word.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
            i = next;
        }
        flush(word, out);
        flushPairs(s, runStart, i, out);
        return out.size() > MAX_WORDS ? out.subList(0, MAX_WORDS) : out;
    }

    /**
     * Words too common in English to be worth a row each in {@code audit_word}: a search walks the rarest word of a
     * phrase, never one of these, and checks the rest on each record, so leaving them out of the index changes no
     * answer (a query of these words alone walks the organization's records, within the bound). Fixed for good: a
     * word taken off this list would have no rows for the records stored before.
     */
    static final Set<String> UNINDEXED = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "of", "on",
            "or", "that", "the", "this", "to", "was", "were", "with");

    /** The distinct words of {@code text}, in the order they first appear. */
    static Set<String> distinct(String text) {
        return new LinkedHashSet<>(of(text));
    }

    /** The distinct words of {@code text} that have rows in {@code audit_word}: all but {@link #UNINDEXED}. */
    static Set<String> indexed(String text) {
        Set<String> out = distinct(text);
        out.removeAll(UNINDEXED);
        return out;
    }

    /** Whether the words of {@code phrase} appear in {@code words} consecutively and in order. */
    static boolean contains(List<String> words, List<String> phrase) {
        if (phrase.isEmpty()) {
            return true;
        }
        outer:
        for (int i = 0; i + phrase.size() <= words.size(); i++) {
            for (int j = 0; j < phrase.size(); j++) {
                if (!words.get(i + j).equals(phrase.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        // one character of a paired script is also found inside a pair (課 in 課題)
        if (phrase.size() == 1 && phrase.get(0).codePointCount(0, phrase.get(0).length()) == 1) {
            int cp = phrase.get(0).codePointAt(0);
            if (paired(cp)) {
                for (String w : words) {
                    if (w.indexOf(phrase.get(0)) >= 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether a phrase can be found through the index of words: not when it is one character of a paired script,
     * which is indexed only where it stands alone.
     */
    static boolean indexable(List<String> phrase) {
        return !phrase.isEmpty()
                && !(phrase.size() == 1
                        && phrase.get(0).codePointCount(0, phrase.get(0).length()) == 1
                        && paired(phrase.get(0).codePointAt(0)));
    }

    /**
     * The key of a word of an organization in {@code audit_word}: a 64-bit hash of both (FNV-1a over the UTF-16
     * units, then the finalizer of SplitMix64 to spread the bits). Fixed for good: the stored keys are made with it.
     */
    static long key(String spaceKey, String word) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < spaceKey.length(); i++) {
            h = (h ^ spaceKey.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xFFFF) * 0x100000001b3L; // no space key char is U+FFFF: "ab"+"c" differs from "a"+"bc"
        for (int i = 0; i < word.length(); i++) {
            h = (h ^ word.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    /** The pairs of the run {@code s[start, end)} of paired characters (nothing when start is -1). */
    private static void flushPairs(String s, int start, int end, List<String> out) {
        if (start < 0) {
            return;
        }
        String run = s.substring(start, end).toLowerCase(Locale.ROOT);
        int count = run.codePointCount(0, run.length());
        if (count == 1) {
            out.add(run);
            return;
        }
        int a = 0;
        for (int k = 0; k + 1 < count && out.size() < MAX_WORDS; k++) {
            int b = run.offsetByCodePoints(a, 1);
            int c = run.offsetByCodePoints(b, 1);
            out.add(run.substring(a, c));
            a = b;
        }
    }

    /** The scripts written without spaces between words. */
    static boolean paired(int cp) {
        if (cp == 0x30FC) {
            return true; // the Katakana-Hiragana prolonged sound mark, of the Common script
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL;
    }

    /** Combining marks (dakuten, accents left apart by NFKC) belong to the word they follow. */
    private static boolean isJoinedMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
