// Starts Swagger UI on /docs (a file, not an inline script: the page is under the CSP).

// Every operation drawn in the page, whatever their number. Since 5.33.0, Swagger UI draws
// only the rows in view once tags + operation rows reach 150 (the merge of the team's routes
// took ours from 145 to 160): the page then holds the first six operations, and the others
// exist for nobody who does not scroll: not for the browser's find-in-page (swagger-ui#11056),
// nor for a screen reader's list of headings, nor for the keyboard. This is Swagger UI's own
// rendering below that threshold (its `operations` component, without the virtual list),
// given through the plugin API.
function ToutesLesOperations(system) {
  var React = system.React;
  function operations(props) {
    var specSelectors = props.specSelectors;
    var getComponent = props.getComponent;
    var parEtiquette = specSelectors.taggedOperations();
    var methodes = specSelectors.validOperationMethods();
    if (parEtiquette.size === 0) {
      return React.createElement("h3", null, "Aucune opération dans cette spécification.");
    }
    var OperationContainer = getComponent("OperationContainer", true);
    var OperationTag = getComponent("OperationTag");
    return React.createElement(
      "div",
      null,
      parEtiquette
        .map(function (etiquette, nom) {
          var lignes = etiquette
            .get("operations")
            .map(function (op) {
              var chemin = op.get("path");
              var methode = op.get("method");
              if (methodes.indexOf(methode) === -1) return null;
              return React.createElement(OperationContainer, {
                key: chemin + "-" + methode,
                specPath: op.get("specPath"),
                op: op,
                path: chemin,
                method: methode,
                tag: nom,
              });
            })
            .toArray();
          return React.createElement(
            OperationTag,
            {
              key: "operation-" + nom,
              tagObj: etiquette,
              tag: nom,
              oas3Selectors: props.oas3Selectors,
              layoutSelectors: props.layoutSelectors,
              layoutActions: props.layoutActions,
              getConfigs: props.getConfigs,
              getComponent: getComponent,
              specUrl: specSelectors.url(),
            },
            React.createElement("div", { className: "operation-tag-content" }, lignes),
          );
        })
        .valueSeq()
        .toArray(),
    );
  }
  return { components: { operations: operations } };
}

window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // no call to swagger.io's validator
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    plugins: [ToutesLesOperations],
  });
});
