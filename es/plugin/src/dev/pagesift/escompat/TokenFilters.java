package dev.pagesift.escompat;

import java.util.function.UnaryOperator;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.fa.PersianNormalizationFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

/** Token filters with the names and settings of Elasticsearch's analysis-common module. */
final class TokenFilters {

    private TokenFilters() {}

    static TokenFilterFactory edgeNGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        int minGram = settings.getAsInt("min_gram", 1);
        int maxGram = settings.getAsInt("max_gram", 2);
        boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
        return new Simple(name, settings, in -> new EdgeNGramTokenFilter(in, minGram, maxGram, preserveOriginal));
    }

    static TokenFilterFactory asciiFolding(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
        return new Normalizing(name, settings, in -> new ASCIIFoldingFilter(in, preserveOriginal));
    }

    static TokenFilterFactory persianNormalization(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        return new Normalizing(name, settings, PersianNormalizationFilter::new);
    }

    static TokenFilterFactory arabicNormalization(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        return new Normalizing(name, settings, ArabicNormalizationFilter::new);
    }

    private static class Simple extends AbstractTokenFilterFactory {
        private final UnaryOperator<TokenStream> wrap;

        Simple(String name, Settings settings, UnaryOperator<TokenStream> wrap) {
            super(name, settings);
            this.wrap = wrap;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrap.apply(tokenStream);
        }
    }

    /** Character-level filters may also run in normalizers (keyword fields), as in ES. */
    private static final class Normalizing extends Simple implements NormalizingTokenFilterFactory {
        Normalizing(String name, Settings settings, UnaryOperator<TokenStream> wrap) {
            super(name, settings, wrap);
        }
    }
}
