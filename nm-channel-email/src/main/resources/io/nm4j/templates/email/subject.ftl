<#-- The e-mail's built-in subject (plain text, one line). -->
<#import "/nm.ftl" as nm>
${nm.title()}<#if commonNamespace?has_content> (${commonNamespace})</#if>
