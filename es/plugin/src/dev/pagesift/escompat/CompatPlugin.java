/*
 * pagesift-compat: the few stock Elasticsearch features pagesift uses that the Maven-published
 * Elasticsearch distribution (org.elasticsearch.distribution.integ-test-zip) leaves out,
 * because they live in modules Elastic does not publish to Maven Central
 * (analysis-common, rest-root).
 *
 * Each piece registers Lucene's own analysis classes, which ship in the distribution's lib/,
 * under the name and with the settings the official image's modules use, so the same
 * mappings/pages.json works unchanged against the embedded node and a production cluster.
 * Nothing here imitates search behaviour: Elasticsearch and Lucene do all the work.
 */
package dev.pagesift.escompat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

public class CompatPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    // Set once the node has built its services; the root endpoint reads names from it.
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "english", LanguageAnalyzers::english,
            "persian", LanguageAnalyzers::persian
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "edge_ngram", TokenFilters::edgeNGram,
            "asciifolding", TokenFilters::asciiFolding,
            "persian_normalization", TokenFilters::persianNormalization,
            "arabic_normalization", TokenFilters::arabicNormalization
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootAction(() -> clusterService));
    }
}
