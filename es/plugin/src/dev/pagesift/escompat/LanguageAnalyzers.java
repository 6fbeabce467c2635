package dev.pagesift.escompat;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;

/** The `english` and `persian` analyzers with the stopword and stem-exclusion settings ES documents. */
final class LanguageAnalyzers {

    private LanguageAnalyzers() {}

    static AnalyzerProvider<? extends Analyzer> english(
        IndexSettings indexSettings, Environment env, String name, Settings settings) {
        EnglishAnalyzer analyzer = new EnglishAnalyzer(
            Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet()),
            Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET));
        return new Fixed<>(name, settings, analyzer);
    }

    static AnalyzerProvider<? extends Analyzer> persian(
        IndexSettings indexSettings, Environment env, String name, Settings settings) {
        PersianAnalyzer analyzer = new PersianAnalyzer(
            Analysis.parseStopWords(env, settings, PersianAnalyzer.getDefaultStopSet()));
        return new Fixed<>(name, settings, analyzer);
    }

    private static final class Fixed<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {
        private final T analyzer;

        Fixed(String name, Settings settings, T analyzer) {
            super(name, settings);
            this.analyzer = analyzer;
        }

        @Override
        public T get() {
            return analyzer;
        }
    }
}
